package dev.glust.adapter.query;

import dev.glust.application.port.in.RateLimitStatus;
import java.util.Map;

/**
 * How the query API tells a client its token bucket: the same {@code X-RateLimit-*} headers the
 * OTLP receivers write (adapters stay independent, so each spells its own wire format).
 */
final class QueryRateLimitHeaders {
  private QueryRateLimitHeaders() {}

  static Map<String, String> of(RateLimitStatus status) {
    return Map.of(
        "X-RateLimit-Limit", Long.toString(status.limit()),
        "X-RateLimit-Remaining", Long.toString(status.remaining()),
        "X-RateLimit-Reset", Long.toString(status.resetSeconds()));
  }
}
