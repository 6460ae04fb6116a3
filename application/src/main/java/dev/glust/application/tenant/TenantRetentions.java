package dev.glust.application.tenant;

import dev.glust.application.port.out.ApplyRetentionPort;
import dev.glust.application.port.out.RetentionOverrides;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tells storage the tenants' retentions whenever new policies are loaded, and only when they
 * changed what storage must do (a reload that only changed rates costs storage nothing).
 */
public final class TenantRetentions {
  private final ApplyRetentionPort storage;
  private RetentionOverrides applied;

  public TenantRetentions(ApplyRetentionPort storage) {
    this.storage = Objects.requireNonNull(storage);
  }

  /** Hands storage the retentions of these policies, unless it has them already. */
  public synchronized void apply(TenantPolicies policies) {
    RetentionOverrides overrides = overrides(policies);
    if (!overrides.equals(applied)) {
      storage.applyRetention(overrides);
      applied = overrides;
    }
  }

  static RetentionOverrides overrides(TenantPolicies policies) {
    return new RetentionOverrides(
        of(policies, Retention::traces),
        of(policies, Retention::logs),
        of(policies, Retention::metrics));
  }

  private static Map<TenantId, Duration> of(
      TenantPolicies policies, Function<Retention, Optional<Duration>> signal) {
    Map<TenantId, Duration> kept = new HashMap<>();
    policies
        .tenants()
        .forEach(
            (tenant, limits) ->
                signal.apply(limits.retention()).ifPresent(duration -> kept.put(tenant, duration)));
    return kept;
  }
}
