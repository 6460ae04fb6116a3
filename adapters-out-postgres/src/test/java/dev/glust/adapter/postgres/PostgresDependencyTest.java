package dev.glust.adapter.postgres;

import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.storage.contract.MovingClock;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL does for service dependencies besides the contract: when pending children are
 * probed and how often, what a batch with no call across services writes, and retention.
 */
class PostgresDependencyTest {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final long T0 = NOW.getEpochSecond() * 1_000_000_000L;

  private final MovingClock clock = new MovingClock(NOW);
  private TestPostgres.Database database;
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    database = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(database.settings(), PartitionSettings.DEFAULTS, clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aChildIsProbedThirtySecondsAndFiveMinutesAfterItArrivedThenGivenUp() throws SQLException {
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(child(new TraceId(0xe1, 1), "api")));

    matchAt(Duration.ofSeconds(29));
    assertThat(pendingProbes()).isEqualTo("0"); // not due yet
    matchAt(Duration.ofSeconds(30));
    assertThat(pendingProbes()).isEqualTo("1");
    matchAt(Duration.ofSeconds(4 * 60 + 59));
    assertThat(pendingProbes()).isEqualTo("1"); // waits for its second probe
    assertThat(parentsMissing()).isZero();
    matchAt(Duration.ofMinutes(5));

    assertThat(pendingProbes()).isEmpty();
    assertThat(parentsMissing()).isEqualTo(1);
    assertThat(
            storage
                .dependencyRollups()
                .loadDependencyRollups(TenantId.DEFAULT, new TimeRange(0, Long.MAX_VALUE)))
        .isEmpty();
  }

  @Test
  void aMatchedChildIsDeletedAtItsFirstProbe() throws SQLException {
    TraceId trace = new TraceId(0xe2, 1);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(child(trace, "api")));
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(parent(trace, "api")));

    matchAt(Duration.ofSeconds(30));

    assertThat(pendingProbes()).isEmpty(); // matched, though of the same service: no call
    assertThat(database.queryLong("SELECT count(*) FROM dependency_rollups")).isZero();
    assertThat(parentsMissing()).isZero();
    assertThat(meter("glust.dependency.children.matched")).isEqualTo(1);
  }

  /** The load benchmark's shape: traces of one service, each whole in its batch. */
  @Test
  void aBatchOfOneServiceWithItsParentsWritesNothingBesidesItsSpans() throws SQLException {
    List<Span> batch =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    span(
                        new TraceId(0xe3, i / 10),
                        i + 1,
                        i % 10 == 0 ? null : i / 10 * 10 + 1,
                        "shop",
                        "GET /item",
                        T0 + i,
                        1_000,
                        SpanStatus.Code.OK,
                        Attributes.EMPTY))
            .toList();

    storage.spans().saveSpans(TenantId.DEFAULT, batch);

    assertThat(database.queryLong("SELECT count(*) FROM pending_children")).isZero();
    assertThat(database.queryLong("SELECT count(*) FROM dependency_rollups")).isZero();
  }

  /** A tenant's calls go when its spans go: minutes older than its traces retention. */
  @Test
  void maintenanceDeletesTheCallsOfMinutesBeforeTheSpansRetention() throws SQLException {
    try (Connection owner = database.connect();
        Statement insert = owner.createStatement()) {
      for (String minute : List.of("2026-06-11 09:59:00+00", "2026-06-12 10:01:00+00")) {
        insert.execute(
            "INSERT INTO dependency_rollups (minute, slot, parent_service, child_service, calls,"
                + " errors) VALUES ('"
                + minute
                + "', 1, 'web', 'api', 3, 1)");
      }
    }
    Duration kept = Duration.ofDays(3);
    try (PostgresStorage threeDays =
        PostgresStorage.open(
            database.settings(),
            new PartitionSettings(
                Duration.ofDays(1),
                2,
                kept,
                kept,
                kept,
                Duration.ofHours(1),
                16,
                Duration.ofHours(1)),
            clock)) {
      threeDays.maintainPartitions();
    }

    assertThat(
            database.queryLong(
                "SELECT count(*) FROM dependency_rollups WHERE minute > '2026-06-12 00:00+00'"))
        .isEqualTo(1);
    assertThat(database.queryLong("SELECT count(*) FROM dependency_rollups")).isEqualTo(1);
  }

  /**
   * A parent is looked for in the partitions its window (a day before its child, an hour after)
   * reaches only, whatever else is kept: the others are pruned as the probe runs.
   */
  @Test
  void theParentIsProbedInThePartitionsOfItsWindowOnly() throws SQLException {
    long day = 86_400L * 1_000_000_000L;
    for (long start : new long[] {T0 - 3 * day, T0 - 2 * day, T0 - day, T0 + day, T0 + 2 * day}) {
      storage
          .spans()
          .saveSpans(
              TenantId.DEFAULT,
              List.of(
                  span(
                      new TraceId(0xe4, start),
                      1,
                      null,
                      "elsewhen",
                      "op",
                      start,
                      1_000,
                      SpanStatus.Code.OK,
                      Attributes.EMPTY)));
    }
    storage
        .spans()
        .saveSpans(
            TenantId.DEFAULT,
            IntStream.range(0, 2_000)
                .mapToObj(i -> parent(new TraceId(0xe4, 1_000 + i), "busy"))
                .toList());
    TraceId trace = new TraceId(0xe4, 1);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(child(trace, "api")));
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(parent(trace, "web")));
    assertThat(
            database.queryLong(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spans'::regclass"))
        .isGreaterThanOrEqualTo(6);

    try (Connection owner = database.connect();
        Statement analyze = owner.createStatement()) {
      analyze.execute("ANALYZE spans"); // as autovacuum would have by the time it matters
    }
    List<String> probed = new ArrayList<>();
    try (Connection owner = database.connect();
        PreparedStatement explain =
            owner.prepareStatement(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT ("
                    + DependencyMatcher.PARENT_SERVICE
                    + ") FROM pending_children due")) {
      explain.setString(1, DependencyMatcher.PARENT_STARTED_BEFORE.toString());
      explain.setString(2, DependencyMatcher.PARENT_STARTED_AFTER.toString());
      try (ResultSet plan = explain.executeQuery()) {
        while (plan.next()) {
          String line = plan.getString(1);
          if (line.contains(" on spans_p") && !line.contains("never executed")) {
            probed.add(line.strip());
          }
        }
      }
    }

    // the child's day and the day before only; the full one by its identity index (the other
    // holds one row: read whole)
    assertThat(probed)
        .hasSize(2)
        .anyMatch(line -> line.contains("trace_id_span_id_start_time_idx on spans_p20260615_0000"))
        .anyMatch(line -> line.contains(" on spans_p20260614_0000"));
  }

  /** Another writer (instance, or Kafka writer) stores the parent: the database matches them. */
  @Test
  void aParentStoredByAnotherWriterIsFound() {
    TraceId trace = new TraceId(0xe6, 1);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(child(trace, "api")));
    try (PostgresStorage otherWriter =
        PostgresStorage.open(database.settings(), PartitionSettings.DEFAULTS, clock)) {
      otherWriter.spans().saveSpans(TenantId.DEFAULT, List.of(parent(trace, "web")));
    }

    matchAt(Duration.ofSeconds(30));

    assertThat(
            storage
                .dependencyRollups()
                .loadDependencyRollups(TenantId.DEFAULT, new TimeRange(T0, T0)))
        .containsExactly(new DependencyRollup(T0, "web", "api", 1, 0));
  }

  /** Instances sharing the database probe each child once: the counts stay exact. */
  @Test
  void twoMatchersAtOnceCountEachCallOnce() throws Exception {
    List<Span> children = new ArrayList<>();
    List<Span> parents = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      TraceId trace = new TraceId(0xe5, i);
      children.add(child(trace, "api"));
      parents.add(parent(trace, "web"));
    }
    storage.spans().saveSpans(TenantId.DEFAULT, children);
    storage.spans().saveSpans(TenantId.DEFAULT, parents);
    clock.now = NOW.plusSeconds(31);

    try (PostgresStorage other =
        PostgresStorage.open(database.settings(), PartitionSettings.DEFAULTS, clock)) {
      CompletableFuture<Void> first = CompletableFuture.runAsync(storage::matchDependencies);
      CompletableFuture<Void> second = CompletableFuture.runAsync(other::matchDependencies);
      CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);
    }

    assertThat(database.queryLong("SELECT count(*) FROM pending_children")).isZero();
    assertThat(database.queryLong("SELECT sum(calls) FROM dependency_rollups")).isEqualTo(2_000);
  }

  /** Both tables hold tenant data: the policies bind even their owner. */
  @Test
  void bothTablesAreHeldToTheTransactionsTenant() throws SQLException {
    assertThat(
            database.queryLong(
                "SELECT count(*) FROM pg_class WHERE relname IN"
                    + " ('dependency_rollups', 'pending_children')"
                    + " AND relrowsecurity AND relforcerowsecurity"))
        .isEqualTo(2);
    try (Connection service = database.connectAsService();
        Statement insert = service.createStatement()) {
      assertThatThrownBy(
              () ->
                  insert.execute(
                      "INSERT INTO dependency_rollups (minute, slot, parent_service,"
                          + " child_service, calls, errors) VALUES (now(), 1, 'a', 'b', 1, 0)"))
          .isInstanceOf(SQLException.class); // no tenant set: no row may be written
    }
  }

  private void matchAt(Duration afterArrival) {
    clock.now = NOW.plus(afterArrival);
    storage.matchDependencies();
  }

  /** The probes of each pending child, e.g. "0,1"; empty when none is pending. */
  private String pendingProbes() throws SQLException {
    try (Connection owner = database.connect();
        Statement query = owner.createStatement();
        ResultSet rs =
            query.executeQuery(
                "SELECT coalesce(string_agg(probes::text, ',' ORDER BY probes), '')"
                    + " FROM pending_children")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private double parentsMissing() {
    return meter("glust.dependency.parents.missing");
  }

  private double meter(String name) {
    return storage.meters().stream()
        .filter(m -> m.name().equals(name))
        .mapToDouble(m -> m.value().getAsDouble())
        .findFirst()
        .orElseThrow();
  }

  private static Span child(TraceId trace, String service) {
    return span(trace, 2, 1, service, "op", T0 + 5, 1_000, SpanStatus.Code.OK, Attributes.EMPTY);
  }

  private static Span parent(TraceId trace, String service) {
    return span(trace, 1, null, service, "op", T0, 1_000, SpanStatus.Code.OK, Attributes.EMPTY);
  }
}
