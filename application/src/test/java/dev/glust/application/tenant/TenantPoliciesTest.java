package dev.glust.application.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.out.RetentionOverrides;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantPoliciesTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final Retention WEEK_OF_TRACES =
      new Retention(Optional.of(Duration.ofDays(7)), Optional.empty(), Optional.empty());

  @Test
  void aTenantWithoutPolicyGetsTheDefaults() {
    TenantLimits defaults = new TenantLimits(new IngestRate(100, 0, 1), 5, Retention.GLOBAL);
    TenantLimits acme = new TenantLimits(IngestRate.UNLIMITED, 0, WEEK_OF_TRACES);
    TenantPolicies policies = new TenantPolicies(defaults, Map.of(ACME, acme));
    assertThat(policies.of(ACME)).isEqualTo(acme);
    assertThat(policies.of(new TenantId("other"))).isEqualTo(defaults);
    assertThat(TenantPolicies.NONE.of(ACME).ingest().limited()).isFalse();
  }

  @Test
  void invalidLimitsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new IngestRate(-1, 0, 1)).hasMessageContaining("records_per_second");
    assertThatThrownBy(() -> new IngestRate(0, Double.NaN, 1))
        .hasMessageContaining("bytes_per_second");
    assertThatThrownBy(() -> new IngestRate(1, 1, 0)).hasMessageContaining("burst_seconds");
    assertThatThrownBy(() -> new TenantLimits(IngestRate.UNLIMITED, -1, Retention.GLOBAL))
        .hasMessageContaining("max_active_series");
    assertThatThrownBy(
            () -> new Retention(Optional.empty(), Optional.of(Duration.ZERO), Optional.empty()))
        .hasMessage("retention of logs must be positive, not PT0S");
    assertThatThrownBy(
            () ->
                new TenantPolicies(
                    new TenantLimits(IngestRate.UNLIMITED, 0, WEEK_OF_TRACES), Map.of()))
        .hasMessageContaining("defaults cannot set a retention");
  }

  @Test
  void storageIsToldTheRetentionsOnlyWhenTheyChange() {
    List<RetentionOverrides> told = new ArrayList<>();
    TenantRetentions retentions = new TenantRetentions(told::add);
    TenantPolicies weekOfTraces =
        new TenantPolicies(
            TenantLimits.UNLIMITED,
            Map.of(ACME, new TenantLimits(IngestRate.UNLIMITED, 0, WEEK_OF_TRACES)));
    retentions.apply(weekOfTraces);
    retentions.apply(
        new TenantPolicies(
            TenantLimits.UNLIMITED,
            Map.of(ACME, new TenantLimits(new IngestRate(5, 0, 1), 0, WEEK_OF_TRACES))));
    retentions.apply(TenantPolicies.NONE);

    assertThat(told)
        .containsExactly(
            new RetentionOverrides(Map.of(ACME, Duration.ofDays(7)), Map.of(), Map.of()),
            RetentionOverrides.NONE);
  }

  @Test
  void partitionsAreKeptForTheLongestRetentionAndForeverWins() {
    Map<TenantId, Duration> overrides = Map.of(ACME, Duration.ofDays(30));
    assertThat(RetentionOverrides.longest(Duration.ofDays(7), overrides))
        .isEqualTo(Duration.ofDays(30));
    assertThat(RetentionOverrides.longest(Duration.ofDays(90), overrides))
        .isEqualTo(Duration.ofDays(90));
    assertThat(RetentionOverrides.longest(Duration.ZERO, overrides)).isEqualTo(Duration.ZERO);
  }
}
