package dev.glust.application.service;

import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link MaxRecordAge} of each signal (each can follow its own retention), and of a tenant
 * whose retention of the signal is its own: storage keeps its records that long, no longer and no
 * shorter, so they are accepted exactly as old as that.
 *
 * @param tenants the tenants' policies now (reloaded with the tenants file)
 */
public record MaxRecordAges(
    MaxRecordAge spans, MaxRecordAge logs, MaxRecordAge metrics, Supplier<TenantPolicies> tenants) {
  static final String TENANT_SETTING = "the tenant's retention in GLUST_TENANTS";

  public MaxRecordAges {
    Objects.requireNonNull(spans, "spans");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(tenants, "tenants");
  }

  /** Every tenant on the signals' ages. */
  public MaxRecordAges(MaxRecordAge spans, MaxRecordAge logs, MaxRecordAge metrics) {
    this(spans, logs, metrics, () -> TenantPolicies.NONE);
  }

  /** The same age for every signal. */
  public static MaxRecordAges all(MaxRecordAge age) {
    return new MaxRecordAges(age, age, age);
  }

  MaxRecordAge spansOf(TenantId tenant) {
    return of(tenant, spans, Retention::traces);
  }

  MaxRecordAge logsOf(TenantId tenant) {
    return of(tenant, logs, Retention::logs);
  }

  MaxRecordAge metricsOf(TenantId tenant) {
    return of(tenant, metrics, Retention::metrics);
  }

  /** As {@code TenantRetentions} tells storage: only a tenant named in the file has its own. */
  private MaxRecordAge of(
      TenantId tenant, MaxRecordAge global, Function<Retention, Optional<Duration>> signal) {
    TenantLimits limits = tenants.get().tenants().get(tenant);
    if (limits == null) {
      return global;
    }
    return signal
        .apply(limits.retention())
        .map(own -> new MaxRecordAge(own, TENANT_SETTING))
        .orElse(global);
  }
}
