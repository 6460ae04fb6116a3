package dev.glust.application.tenant;

import dev.glust.domain.tenant.TenantId;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of every tenant: the defaults, and the tenants that override them (each override
 * already merged with the defaults, field by field). Immutable: a reload builds a new one and swaps
 * it in whole, so a request sees either the old policies or the new ones.
 */
public record TenantPolicies(TenantLimits defaults, Map<TenantId, TenantLimits> tenants) {
  /** No tenants file: no limits, retention as the global settings say. */
  public static final TenantPolicies NONE = new TenantPolicies(TenantLimits.UNLIMITED, Map.of());

  public TenantPolicies {
    Objects.requireNonNull(defaults, "defaults");
    tenants = Map.copyOf(tenants);
    if (!defaults.retention().isGlobal()) {
      throw new IllegalArgumentException(
          "defaults cannot set a retention: GLUST_RETENTION and GLUST_<SIGNAL>_RETENTION are the"
              + " default; set retention per tenant");
    }
  }

  /** The tenant's own limits, else the defaults. */
  public TenantLimits of(TenantId tenant) {
    return tenants.getOrDefault(tenant, defaults);
  }
}
