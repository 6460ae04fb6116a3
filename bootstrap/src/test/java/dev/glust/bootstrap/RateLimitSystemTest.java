package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-client token buckets on the query API and OTLP/HTTP, with the real clock. */
class RateLimitSystemTest {
  @Test
  void refusedWith429AndHeadersThenServedAgainAfterTheWindow() throws Exception {
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.security.rate-limit.per-second",
                0.2, // one token per 5 s: slow enough that a slow first query refills nothing
                "glust.security.rate-limit.burst",
                2))) {
      HttpResponse<String> first = glust.get("/api/v1/services");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("X-RateLimit-Limit")).contains("2");
      assertThat(first.headers().firstValue("X-RateLimit-Remaining")).contains("1");
      assertThat(first.headers().firstValue("X-RateLimit-Reset")).isPresent();
      // the same client (by address) over OTLP/HTTP shares the bucket
      HttpResponse<byte[]> otlp = glust.postOtlp("/v1/traces", "application/json", "{}".getBytes());
      assertThat(otlp.statusCode()).isEqualTo(200);
      assertThat(otlp.headers().firstValue("X-RateLimit-Remaining")).contains("0");

      HttpResponse<String> refused = glust.get("/api/v1/services");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong))
          .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 5L));
      assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
      assertThat(glust.postOtlp("/v1/logs", "application/json", "{}".getBytes()).statusCode())
          .isEqualTo(429);

      Thread.sleep(5100); // one token back
      assertThat(glust.get("/api/v1/services").statusCode()).isEqualTo(200);
      // health stays open, never limited
      assertThat(glust.get("/health/liveness").statusCode()).isEqualTo(200);
    }
  }
}
