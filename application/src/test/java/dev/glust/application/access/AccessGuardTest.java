package dev.glust.application.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.AccessDecision.Verdict;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.Scope;
import dev.glust.domain.tenant.TenantId;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccessGuardTest {
  private static final ApiKeyRegistry KEYS =
      ApiKeyRegistry.parse("both-key, ingest-key:ingest\n# a comment\nquery-key:QUERY\n");

  private static AccessGuard guard(ApiKeyRegistry keys) {
    return new AccessGuard(keys, Optional.empty());
  }

  @Test
  void withoutKeysOrLimitsEverythingIsAllowed() {
    AccessGuard open = AccessGuard.open();
    AccessDecision decision = open.check(null, null, Scope.INGEST, "10.0.0.1");
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.tenant()).isEqualTo(TenantId.DEFAULT);
  }

  @Test
  void aKeyIsTakenFromABearerTokenOrTheApiKeyHeader() {
    AccessGuard guard = guard(KEYS);
    assertThat(guard.check("Bearer both-key", null, Scope.QUERY, "ip").allowed()).isTrue();
    assertThat(guard.check("bearer both-key", null, Scope.QUERY, "ip").allowed()).isTrue();
    assertThat(guard.check(null, "both-key", Scope.INGEST, "ip").allowed()).isTrue();
    // a non-bearer Authorization (e.g. Basic) does not hide a valid X-API-Key
    assertThat(guard.check("Basic Zm9vOmJhcg==", "both-key", Scope.INGEST, "ip").allowed())
        .isTrue();
  }

  @Test
  void missingOrUnknownKeysAreUnauthenticatedAndTheKeyIsNeverEchoed() {
    AccessGuard guard = guard(KEYS);
    assertThat(guard.check(null, null, Scope.INGEST, "ip").verdict())
        .isEqualTo(Verdict.UNAUTHENTICATED);
    assertThat(guard.check("Bearer ", " ", Scope.INGEST, "ip").verdict())
        .isEqualTo(Verdict.UNAUTHENTICATED);
    AccessDecision wrong = guard.check("Bearer guessed-secret", null, Scope.INGEST, "ip");
    assertThat(wrong.verdict()).isEqualTo(Verdict.UNAUTHENTICATED);
    assertThat(wrong.reason()).doesNotContain("guessed-secret");
  }

  @Test
  void aKeyWithoutTheScopeIsForbidden() {
    AccessGuard guard = guard(KEYS);
    assertThat(guard.check(null, "ingest-key", Scope.INGEST, "ip").allowed()).isTrue();
    assertThat(guard.check(null, "ingest-key", Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.FORBIDDEN);
    assertThat(guard.check(null, "query-key", Scope.QUERY, "ip").allowed()).isTrue();
    assertThat(guard.check(null, "query-key", Scope.INGEST, "ip").verdict())
        .isEqualTo(Verdict.FORBIDDEN);
  }

  @Test
  void theAdminScopeIsGivenOnlyWhenNamed() {
    AccessGuard guard = guard(ApiKeyRegistry.parse("plain-key, ops-key:query+admin@*"));
    AccessDecision plain = guard.check(null, "plain-key", Scope.ADMIN, "ip");
    assertThat(plain.verdict()).isEqualTo(Verdict.FORBIDDEN);
    assertThat(plain.reason()).isEqualTo("the API key may not read tenant usage");
    assertThat(guard.check(null, "ops-key", Scope.ADMIN, "ip").allowed()).isTrue();
    assertThat(guard.check(null, "ops-key", Scope.INGEST, "ip").allowed()).isFalse();
  }

  @Test
  void aKeyMayBeConfiguredByItsHashOnly() {
    String hash = HexFormat.of().formatHex(ApiKeyRegistry.sha256("s3cret"));
    AccessGuard guard = guard(ApiKeyRegistry.parse("sha256:" + hash + ":ingest"));
    assertThat(guard.check("Bearer s3cret", null, Scope.INGEST, "ip").allowed()).isTrue();
    assertThat(guard.check("Bearer s3cret", null, Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.FORBIDDEN);
    assertThat(
            guard(ApiKeyRegistry.parse("sha256:" + hash))
                .check(null, "s3cret", Scope.QUERY, "")
                .allowed())
        .isTrue();
  }

  @Test
  void malformedEntriesAreRefusedWithoutShowingThem() {
    assertThatThrownBy(() -> ApiKeyRegistry.parse("ok-key, secret-one:superuser"))
        .hasMessageContaining("entry 2")
        .hasMessageNotContaining("secret-one");
    assertThatThrownBy(() -> ApiKeyRegistry.parse("sha256:abcd")).hasMessageContaining("64 hex");
  }

  @Test
  void rateLimitsApplyPerKeyAndUnauthenticatedRequestsSpendNothing() {
    AtomicLong clock = new AtomicLong();
    AccessGuard guard =
        new AccessGuard(KEYS, Optional.of(new TokenBucketLimiter(1, 2, 100, clock::get)));
    assertThat(guard.check(null, "nope", Scope.INGEST, "ip").verdict())
        .isEqualTo(Verdict.UNAUTHENTICATED);
    assertThat(guard.check(null, "both-key", Scope.INGEST, "a").rateLimit().get().remaining())
        .isEqualTo(1);
    // same key from another address: same bucket
    assertThat(guard.check(null, "both-key", Scope.QUERY, "b").allowed()).isTrue();
    AccessDecision third = guard.check(null, "both-key", Scope.INGEST, "a");
    assertThat(third.verdict()).isEqualTo(Verdict.RATE_LIMITED);
    assertThat(third.rateLimit().get().retryAfterSeconds()).isEqualTo(1);
    // another key has its own bucket
    assertThat(guard.check(null, "ingest-key", Scope.INGEST, "a").allowed()).isTrue();
  }

  @Test
  void withoutKeysTheBucketIsTheClientAddress() {
    AtomicLong clock = new AtomicLong();
    AccessGuard guard =
        new AccessGuard(
            ApiKeyRegistry.none(), Optional.of(new TokenBucketLimiter(1, 1, 100, clock::get)));
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.1").allowed()).isTrue();
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.1").allowed()).isFalse();
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.2").allowed()).isTrue();
  }

  @Test
  void withoutKeysTheHeaderNamesTheTenantAndItsAbsenceMeansTheDefaultOne() {
    AccessGuard open = AccessGuard.open();
    assertThat(open.check(null, null, "acme", Scope.INGEST, "ip").tenant())
        .isEqualTo(new TenantId("acme"));
    assertThat(open.check(null, null, " ", Scope.QUERY, "ip").tenant()).isEqualTo(TenantId.DEFAULT);
    AccessDecision bad = open.check(null, null, "a|b", Scope.QUERY, "ip");
    assertThat(bad.verdict()).isEqualTo(Verdict.INVALID_TENANT);
    assertThat(bad.reason()).startsWith("X-Scope-OrgID: ");
    assertThat(CheckAccessUseCase.open().check(null, null, "team-b", Scope.INGEST, "ip").tenant())
        .isEqualTo(new TenantId("team-b"));
  }

  @Test
  void aKeyDecidesItsTenantAndTheHeaderPicksOnlyAmongTheKeysTenants() {
    AccessGuard guard =
        guard(
            ApiKeyRegistry.parse(
                "plain-key, acme-key:ingest+query@acme, two-key:query@acme+beta, any-key:query@*"));
    assertThat(guard.check(null, "plain-key", Scope.QUERY, "ip").tenant())
        .isEqualTo(TenantId.DEFAULT);
    assertThat(guard.check(null, "plain-key", "acme", Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.FORBIDDEN);
    assertThat(guard.check(null, "acme-key", Scope.INGEST, "ip").tenant())
        .isEqualTo(new TenantId("acme"));
    assertThat(guard.check(null, "acme-key", "acme", Scope.INGEST, "ip").allowed()).isTrue();
    AccessDecision other = guard.check(null, "acme-key", "beta", Scope.INGEST, "ip");
    assertThat(other.verdict()).isEqualTo(Verdict.FORBIDDEN);
    assertThat(other.reason()).contains("tenant 'beta'");
    // several tenants: the first is the key's own, the header picks another of them
    AccessDecision two = guard.check(null, "two-key", Scope.QUERY, "ip");
    assertThat(two.tenant()).isEqualTo(new TenantId("acme"));
    assertThat(two.tenantChoices()).containsExactly(new TenantId("acme"), new TenantId("beta"));
    assertThat(guard.check(null, "two-key", "beta", Scope.QUERY, "ip").tenant())
        .isEqualTo(new TenantId("beta"));
    assertThat(guard.check(null, "two-key", "gamma", Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.FORBIDDEN);
    // '*': any tenant, the default one when the request names none
    assertThat(guard.check(null, "any-key", "gamma", Scope.QUERY, "ip").tenant())
        .isEqualTo(new TenantId("gamma"));
    assertThat(guard.check(null, "any-key", Scope.QUERY, "ip").tenant())
        .isEqualTo(TenantId.DEFAULT);
    assertThat(guard.check(null, "any-key", Scope.QUERY, "ip").tenantChoices()).isEmpty();
  }

  @Test
  void aKeyIsCheckedBeforeTheTenantItNames() {
    AccessGuard guard = guard(KEYS);
    assertThat(guard.check(null, null, "a|b", Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.UNAUTHENTICATED);
    assertThat(guard.check(null, "both-key", "a|b", Scope.QUERY, "ip").verdict())
        .isEqualTo(Verdict.INVALID_TENANT);
  }

  @Test
  void malformedTenantListsAreRefusedWithoutShowingTheKey() {
    assertThatThrownBy(() -> ApiKeyRegistry.parse("k1, secret-two:query@a|b"))
        .hasMessageContaining("entry 2")
        .hasMessageContaining("after '@'")
        .hasMessageNotContaining("secret-two");
    assertThatThrownBy(() -> ApiKeyRegistry.parse("secret:query@")).hasMessageContaining("entry 1");
  }
}
