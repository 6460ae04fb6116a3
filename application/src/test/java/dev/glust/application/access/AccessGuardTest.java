package dev.glust.application.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.AccessDecision.Verdict;
import dev.glust.application.port.in.Scope;
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
    assertThat(open.active()).isFalse();
    assertThat(open.check(null, null, Scope.INGEST, "10.0.0.1").allowed()).isTrue();
  }

  @Test
  void aKeyIsTakenFromABearerTokenOrTheApiKeyHeader() {
    AccessGuard guard = guard(KEYS);
    assertThat(guard.active()).isTrue();
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
    assertThatThrownBy(() -> ApiKeyRegistry.parse("ok-key, secret-one:admin"))
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
    assertThat(guard.active()).isTrue();
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.1").allowed()).isTrue();
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.1").allowed()).isFalse();
    assertThat(guard.check(null, null, Scope.INGEST, "10.0.0.2").allowed()).isTrue();
  }
}
