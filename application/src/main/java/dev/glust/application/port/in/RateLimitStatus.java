package dev.glust.application.port.in;

/**
 * A client's token bucket after a request, as clients are told it (each inbound adapter spells it
 * in its own wire format: HTTP headers, gRPC metadata).
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
}
