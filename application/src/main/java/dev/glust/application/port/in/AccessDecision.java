package dev.glust.application.port.in;

import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a request may go on, for which tenant, and, when rate limiting is on, the client's bucket
 * after it.
 *
 * @param reason for a refusal, a message safe to show the client (it never contains the key)
 * @param tenant whose records the request writes or reads; {@link TenantId#DEFAULT} on a refusal
 * @param tenantChoices the tenants the caller may name in {@code X-Scope-OrgID} (its key's, own
 *     first); empty when any tenant may be named (keys off, or a key for every tenant)
 */
public record AccessDecision(
    Verdict verdict,
    String reason,
    TenantId tenant,
    List<TenantId> tenantChoices,
    Optional<RateLimitStatus> rateLimit) {

  public enum Verdict {
    ALLOWED,
    /** No key, or an unknown one: HTTP 401, gRPC UNAUTHENTICATED. */
    UNAUTHENTICATED,
    /** A known key without the scope the request needs: HTTP 403, gRPC PERMISSION_DENIED. */
    FORBIDDEN,
    /** The client's bucket is empty: HTTP 429 + Retry-After, gRPC RESOURCE_EXHAUSTED. */
    RATE_LIMITED,
    /** The {@code X-Scope-OrgID} is not a tenant name: HTTP 400, gRPC INVALID_ARGUMENT. */
    INVALID_TENANT
  }

  public AccessDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(tenant, "tenant");
    tenantChoices = List.copyOf(tenantChoices);
    Objects.requireNonNull(rateLimit, "rateLimit");
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /** Allowed, for the tenant, without a rate limit; the caller may name any tenant. */
  public static AccessDecision allowedFor(TenantId tenant) {
    return new AccessDecision(Verdict.ALLOWED, "", tenant, List.of(), Optional.empty());
  }

  /** Refused for the reason given (safe to show), with no tenant to speak of. */
  public static AccessDecision refused(Verdict verdict, String reason) {
    return new AccessDecision(verdict, reason, TenantId.DEFAULT, List.of(), Optional.empty());
  }
}
