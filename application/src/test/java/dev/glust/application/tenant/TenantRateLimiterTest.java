package dev.glust.application.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.TenantLimitedException;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TenantRateLimiterTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");
  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final List<String> limited = new ArrayList<>();
  private final AtomicReference<TenantPolicies> policies =
      new AtomicReference<>(
          new TenantPolicies(
              TenantLimits.UNLIMITED,
              Map.of(ACME, new TenantLimits(new IngestRate(10, 1000, 2), 0, Retention.GLOBAL))));
  private final TenantRateLimiter limiter =
      new TenantRateLimiter(
          policies::get,
          10,
          clock::get,
          (tenant, signal, limit, records) ->
              limited.add(tenant + "/" + signal + "/" + limit + "/" + records));

  @Test
  void aTenantMaySendItsBurstThenWaitsForTheRefill() {
    limiter.admit(ACME, "logs", 20, 100); // the burst: 2 s of 10 records/s
    assertThatThrownBy(() -> limiter.admit(ACME, "logs", 5, 100))
        .isInstanceOfSatisfying(
            TenantLimitedException.class,
            refused -> assertThat(refused.retryAfterSeconds()).isEqualTo(1))
        .hasMessageContaining("records_per_second");
    assertThat(limited).containsExactly("acme/logs/records_per_second/5");

    clock.addAndGet(500_000_000L); // 5 records refilled
    limiter.admit(ACME, "logs", 5, 100);
  }

  @Test
  void aRefusalByBytesChargesNoRecords() {
    limiter.admit(ACME, "traces", 1, 1500); // 500 of the 2000 bytes left
    assertThatThrownBy(() -> limiter.admit(ACME, "traces", 1, 1000))
        .isInstanceOf(TenantLimitedException.class)
        .hasMessageContaining("bytes_per_second");
    limiter.admit(ACME, "traces", 19, 0); // the records bucket was not charged for the refusal
    assertThat(limited).containsExactly("acme/traces/bytes_per_second/1");
  }

  @Test
  void aRequestLargerThanTheBurstPassesOnAFullBucketAndLeavesADebt() {
    TenantRateLimiter fresh =
        new TenantRateLimiter(policies::get, 10, clock::get, (t, s, l, r) -> {});
    fresh.admit(ACME, "metrics", 50, 10); // 50 > the 20 burst, but the bucket was full
    assertThatThrownBy(() -> fresh.admit(ACME, "metrics", 1, 10))
        .isInstanceOfSatisfying(
            TenantLimitedException.class,
            refused -> assertThat(refused.retryAfterSeconds()).isEqualTo(4)); // 31 tokens at 10/s
  }

  @Test
  void otherTenantsAndTenantsWithoutLimitsAreNotHeld() {
    limiter.admit(ACME, "logs", 20, 100);
    for (int i = 0; i < 100; i++) {
      limiter.admit(BETA, "logs", 1_000_000, 1_000_000_000);
    }
    assertThat(limiter.trackedTenants()).isEqualTo(1); // unlimited tenants hold no buckets
  }

  @Test
  void aReloadedRateAppliesAtOnce() {
    limiter.admit(ACME, "logs", 20, 100);
    policies.set(
        new TenantPolicies(
            new TenantLimits(new IngestRate(1000, 0, 1), 0, Retention.GLOBAL), Map.of()));
    limiter.admit(ACME, "logs", 900, 100); // acme now gets the defaults, with full buckets
    assertThatThrownBy(() -> limiter.admit(ACME, "logs", 200, 100))
        .isInstanceOf(TenantLimitedException.class);
  }
}
