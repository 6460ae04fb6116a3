package dev.glust.adapter.otlp;

import dev.glust.application.port.in.RateLimitStatus;
import java.util.Map;

/**
 * How the OTLP receivers tell a client its token bucket: the {@code X-RateLimit-*} headers (gRPC
 * lower-cases them into metadata keys).
 */
final class OtlpRateLimitHeaders {
  private OtlpRateLimitHeaders() {}

  static Map<String, String> of(RateLimitStatus status) {
    return Map.of(
        "X-RateLimit-Limit", Long.toString(status.limit()),
        "X-RateLimit-Remaining", Long.toString(status.remaining()),
        "X-RateLimit-Reset", Long.toString(status.resetSeconds()));
  }
}
