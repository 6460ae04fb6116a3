package dev.glust.application.port.in;

import java.util.Map;

/**
 * A client's token bucket after a request, as clients are told it (the {@code X-RateLimit-*}
 * headers).
 *
 * @param limit the bucket's size (the burst a client may send at once)
 * @param remaining requests the client may still send right now
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds 0 when the request was taken, else seconds until one more is allowed
 */
public record RateLimitStatus(
    long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
  public RateLimitStatus {
    if (limit < 1 || remaining < 0 || resetSeconds < 0 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException("invalid rate limit status");
    }
  }

  public boolean refused() {
    return retryAfterSeconds > 0;
  }

  /** The {@code X-RateLimit-*} headers every answer carries (lower-cased for gRPC metadata). */
  public Map<String, String> headers() {
    return Map.of(
        "X-RateLimit-Limit", Long.toString(limit),
        "X-RateLimit-Remaining", Long.toString(remaining),
        "X-RateLimit-Reset", Long.toString(resetSeconds));
  }
}
