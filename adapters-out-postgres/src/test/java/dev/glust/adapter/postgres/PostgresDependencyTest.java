package dev.glust.adapter.postgres;

import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.storage.contract.MovingClock;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    return storage.meters().stream()
        .filter(m -> m.name().equals("glust.dependency.parents.missing"))
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
