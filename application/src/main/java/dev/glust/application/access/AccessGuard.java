package dev.glust.application.access;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.AccessDecision.Verdict;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.RateLimitStatus;
import dev.glust.application.port.in.Scope;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place deciding who may do what, for which tenant: API key, scope and tenant first (when
 * keys are configured; the key decides the tenant, {@code X-Scope-OrgID} may pick another of its
 * tenants), else the tenant the request names; then the client's rate limit (per key, or per IP
 * address when keys are off). Unauthenticated requests do not spend a key's tokens.
 */
public final class AccessGuard implements CheckAccessUseCase {
  private static final String BEARER = "bearer ";
  private static final Map<Scope, String> DOES =
      Map.of(
          Scope.INGEST, "send telemetry", Scope.QUERY, "query", Scope.ADMIN, "read tenant usage");

  private final ApiKeyRegistry keys;
  private final Optional<TokenBucketLimiter> limiter;

  public AccessGuard(ApiKeyRegistry keys, Optional<TokenBucketLimiter> limiter) {
    this.keys = Objects.requireNonNull(keys);
    this.limiter = Objects.requireNonNull(limiter);
  }

  /** Lets everything through: no keys, no limits. */
  public static AccessGuard open() {
    return new AccessGuard(ApiKeyRegistry.none(), Optional.empty());
  }

  @Override
  public AccessDecision check(
      String authorization, String apiKey, String tenant, Scope scope, String clientAddress) {
    String client = "ip:" + clientAddress;
    AccessDecision named = CheckAccessUseCase.namedOrDefault(tenant);
    List<TenantId> choices = List.of();
    if (!keys.isEmpty()) {
      String presented = presentedKey(authorization, apiKey);
      if (presented == null) {
        return AccessDecision.refused(
            Verdict.UNAUTHENTICATED,
            "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
      }
      Optional<ApiKeyRegistry.Entry> entry = keys.find(presented);
      if (entry.isEmpty()) {
        return AccessDecision.refused(Verdict.UNAUTHENTICATED, "the API key is not valid");
      }
      if (!entry.get().scopes().contains(scope)) {
        return AccessDecision.refused(Verdict.FORBIDDEN, "the API key may not " + DOES.get(scope));
      }
      if (tenant == null || tenant.isBlank()) {
        named = AccessDecision.allowedFor(entry.get().ownTenant());
      } else if (named.allowed() && !entry.get().mayUse(named.tenant())) {
        return AccessDecision.refused(
            Verdict.FORBIDDEN, "the API key may not use tenant '" + named.tenant() + "'");
      }
      client = entry.get().label();
      choices = entry.get().tenants();
    }
    if (!named.allowed()) {
      return named;
    }
    String bucket = client;
    Optional<RateLimitStatus> status = limiter.map(l -> l.acquire(bucket));
    return status.isPresent() && status.get().refused()
        ? new AccessDecision(
            Verdict.RATE_LIMITED,
            "rate limit exceeded, retry later",
            named.tenant(),
            choices,
            status)
        : new AccessDecision(Verdict.ALLOWED, "", named.tenant(), choices, status);
  }

  /** The bearer token if there is one, else the API-key header; blank counts as absent. */
  private static String presentedKey(String authorization, String apiKey) {
    if (authorization != null
        && authorization.length() > BEARER.length()
        && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      String token = authorization.substring(BEARER.length()).strip();
      if (!token.isEmpty()) {
        return token;
      }
    }
    return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
  }
}
