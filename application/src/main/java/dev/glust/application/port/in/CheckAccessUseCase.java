package dev.glust.application.port.in;

import dev.glust.domain.tenant.InvalidTenantException;
import dev.glust.domain.tenant.TenantId;

/**
 * Authentication (API keys with scopes and tenants), tenant choice and rate limiting, the same for
 * every transport: each receiver passes what its request carries and answers as the decision says.
 */
public interface CheckAccessUseCase {
  /** The header (and gRPC metadata key, lower case) that names a tenant, as Tempo/Loki/Mimir. */
  String TENANT_HEADER = "X-Scope-OrgID";

  /**
   * @param authorization the {@code Authorization} header or gRPC metadata, or null
   * @param apiKey the {@code X-API-Key} header or {@code x-api-key} gRPC metadata, or null
   * @param tenant the {@code X-Scope-OrgID} header or {@code x-scope-orgid} metadata, or null
   * @param scope what the request wants to do
   * @param clientAddress the peer's IP address: the rate-limit bucket when keys are off
   */
  AccessDecision check(
      String authorization, String apiKey, String tenant, Scope scope, String clientAddress);

  /** As {@link #check(String, String, String, Scope, String)} for a request naming no tenant. */
  default AccessDecision check(
      String authorization, String apiKey, Scope scope, String clientAddress) {
    return check(authorization, apiKey, null, scope, clientAddress);
  }

  /**
   * No keys, no rate limits (receivers built without access checks): every request is allowed, for
   * the tenant it names, or the default tenant.
   */
  static CheckAccessUseCase open() {
    return (authorization, apiKey, tenant, scope, clientAddress) -> namedOrDefault(tenant);
  }

  /** The tenant a header names (blank or absent: the default tenant), or a refusal saying why. */
  static AccessDecision namedOrDefault(String tenant) {
    if (tenant == null || tenant.isBlank()) {
      return AccessDecision.allowedFor(TenantId.DEFAULT);
    }
    try {
      return AccessDecision.allowedFor(new TenantId(tenant.strip()));
    } catch (InvalidTenantException e) {
      return AccessDecision.refused(
          AccessDecision.Verdict.INVALID_TENANT, TENANT_HEADER + ": " + e.getMessage());
    }
  }
}
