package dev.glust.application.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.RateLimitStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketLimiterTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstIsTakenThenRefusedUntilTheBucketRefills() {
    TokenBucketLimiter limiter = new TokenBucketLimiter(2, 3, 10, clock::get);
    assertThat(limiter.acquire("c")).isEqualTo(new RateLimitStatus(3, 2, 1, 0));
    assertThat(limiter.acquire("c").remaining()).isEqualTo(1);
    assertThat(limiter.acquire("c")).isEqualTo(new RateLimitStatus(3, 0, 2, 0));
    RateLimitStatus refused = limiter.acquire("c");
    assertThat(refused.refused()).isTrue();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);

    clock.addAndGet(500_000_000L); // half a second at 2/s: one token
    assertThat(limiter.acquire("c").refused()).isFalse();
    assertThat(limiter.acquire("c").refused()).isTrue();

    clock.addAndGet(60_000_000_000L); // long idle: full again, never more than the burst
    assertThat(limiter.acquire("c").remaining()).isEqualTo(2);
  }

  @Test
  void theLeastRecentlyUsedClientIsForgottenBeyondTheCap() {
    TokenBucketLimiter limiter = new TokenBucketLimiter(1, 1, 2, clock::get);
    limiter.acquire("a");
    limiter.acquire("b");
    limiter.acquire("a");
    limiter.acquire("c"); // evicts b, the idlest
    assertThat(limiter.trackedClients()).isEqualTo(2);
    assertThat(limiter.acquire("a").refused()).isTrue(); // a was kept: still empty
    assertThat(limiter.acquire("b").refused()).isFalse(); // b starts again full
  }
}
