package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.storage.contract.MovingClock;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresPartitionsTest {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final Instant TODAY = NOW.truncatedTo(ChronoUnit.DAYS);
  private static final PartitionSettings DAILY_LOGS_KEPT_3_DAYS =
      new PartitionSettings(
          Duration.ofDays(1), 2, Duration.ZERO, Duration.ofDays(3), Duration.ofHours(1));
  private static final PartitionSettings DAILY_LOGS_KEPT_FOREVER =
      new PartitionSettings(
          Duration.ofDays(1), 2, Duration.ZERO, Duration.ZERO, Duration.ofHours(1));

  private TestPostgres.Database db;
  private final List<PostgresStorage> opened = new ArrayList<>();

  @BeforeEach
  void createDatabase() {
    db = TestPostgres.server().createDatabase();
  }

  @AfterEach
  void close() {
    opened.forEach(PostgresStorage::close);
  }

  @Test
  void partitionsAreCreatedAheadOnOpen() throws SQLException {
    open(DAILY_LOGS_KEPT_3_DAYS);

    for (String table : List.of("spans", "logs")) {
      assertThat(partitions(table))
          .containsExactly(
              table + "_p20260615_0000 2026-06-15T00:00:00Z 2026-06-16T00:00:00Z",
              table + "_p20260616_0000 2026-06-16T00:00:00Z 2026-06-17T00:00:00Z",
              table + "_p20260617_0000 2026-06-17T00:00:00Z 2026-06-18T00:00:00Z");
    }
  }

  @Test
  void lateRecordsLandInPartitionsMadeForThem() throws SQLException {
    PostgresStorage storage = open(DAILY_LOGS_KEPT_3_DAYS);

    storage.spans().saveSpans(TenantId.DEFAULT, List.of(spanAt(NOW.minus(40, ChronoUnit.DAYS), 1)));

    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(1);
    assertThat(partitions("spans"))
        .contains("spans_p20260506_0000 2026-05-06T00:00:00Z 2026-05-07T00:00:00Z");
  }

  @Test
  void aBatchNeedingMorePartitionsThanTheCapIsRefusedWithoutCreatingAny() throws SQLException {
    PostgresStorage storage = open(DAILY_LOGS_KEPT_FOREVER);
    List<LogRecord> hundredDays = new ArrayList<>();
    for (int day = 1; day <= 100; day++) {
      hundredDays.add(logAt(NOW.minus(day, ChronoUnit.DAYS), "day " + day));
    }

    assertThatThrownBy(() -> storage.logs().saveLogs(TenantId.DEFAULT, hundredDays))
        .isInstanceOf(StorageRejectedException.class)
        .hasMessageContaining("100 new partitions of logs")
        .hasMessageContaining("at most 16");

    assertThat(partitions("logs")).hasSize(3);
    assertThat(db.queryLong("SELECT count(*) FROM logs")).isZero();
  }

  @Test
  void aBatchNeedingAFewPartitionsIsStored() throws SQLException {
    PostgresStorage storage = open(DAILY_LOGS_KEPT_FOREVER);
    List<LogRecord> fiveDays = new ArrayList<>();
    for (int day = 1; day <= 5; day++) {
      fiveDays.add(logAt(NOW.minus(day, ChronoUnit.DAYS), "day " + day));
      fiveDays.add(logAt(NOW.minus(day, ChronoUnit.DAYS).plusSeconds(1), "again " + day));
    }

    storage.logs().saveLogs(TenantId.DEFAULT, fiveDays);

    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(10);
    assertThat(partitions("logs")).hasSize(3 + 5);
  }

  @Test
  void noPartitionIsMadeBeyondThoseAheadOfNowPlusTheClockSkew() throws SQLException {
    PostgresStorage storage = open(DAILY_LOGS_KEPT_FOREVER);
    // now + 1 h of skew lies on June 15: June 16 and 17 are the two partitions ahead
    storage
        .logs()
        .saveLogs(TenantId.DEFAULT, List.of(logAt(Instant.parse("2026-06-17T23:59:59Z"), "ahead")));

    assertThatThrownBy(
            () ->
                storage
                    .logs()
                    .saveLogs(
                        TenantId.DEFAULT,
                        List.of(logAt(Instant.parse("2026-06-18T00:00:00Z"), "beyond"))))
        .isInstanceOf(StorageRejectedException.class)
        .hasMessageContaining("2026-06-18T00:00:00Z")
        .hasMessageContaining("beyond the partitions kept ahead");
    assertThatThrownBy(
            () ->
                storage
                    .spans()
                    .saveSpans(
                        TenantId.DEFAULT, List.of(spanAt(NOW.plus(400, ChronoUnit.DAYS), 1))))
        .isInstanceOf(StorageRejectedException.class);

    assertThat(partitions("logs")).hasSize(3);
    assertThat(partitions("spans")).hasSize(3);
    assertThat(bodies()).containsExactly("\"ahead\"");
  }

  @Test
  void retentionDropsExactlyTheExpiredPartitionsOfItsSignal() throws SQLException {
    MovingClock clock = new MovingClock(NOW);
    PostgresStorage storage = open(DAILY_LOGS_KEPT_3_DAYS, clock);
    for (int daysAgo : new int[] {2, 1, 0}) {
      storage
          .logs()
          .saveLogs(
              TenantId.DEFAULT, List.of(logAt(NOW.minus(daysAgo, ChronoUnit.DAYS), "d" + daysAgo)));
      storage
          .spans()
          .saveSpans(
              TenantId.DEFAULT, List.of(spanAt(NOW.minus(daysAgo, ChronoUnit.DAYS), daysAgo + 1)));
    }

    clock.now = NOW.plus(2, ChronoUnit.DAYS);
    storage.maintainPartitions();

    // Kept: partitions ending after now - 3 days (2026-06-14T10:00Z), i.e. from June 14 on.
    assertThat(bodies()).containsExactlyInAnyOrder("\"d1\"", "\"d0\"");
    assertThat(partitions("logs")).noneMatch(p -> p.startsWith("logs_p20260613"));
    assertThat(partitions("logs")).anyMatch(p -> p.startsWith("logs_p20260614"));
    assertThat(db.queryLong("SELECT count(*) FROM spans"))
        .isEqualTo(3); // spans are kept forever here
    assertThat(storage.figures().partitionsDropped()).isEqualTo(1);

    // Records older than the retention are not stored (retention would drop them), not failed.
    storage
        .logs()
        .saveLogs(
            TenantId.DEFAULT,
            List.of(logAt(NOW.minus(2, ChronoUnit.DAYS), "too late"), logAt(NOW, "now")));
    assertThat(bodies()).doesNotContain("\"too late\"").contains("\"now\"");
    assertThat(storage.figures().expiredOnArrival()).isEqualTo(1);
  }

  @Test
  void aWriterThatBelievesInADroppedPartitionGetsItBack() throws SQLException {
    PostgresStorage storage = open(DAILY_LOGS_KEPT_3_DAYS);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(spanAt(NOW, 1)));
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE spans_p20260615_0000"); // e.g. another instance's retention
    }

    storage.spans().saveSpans(TenantId.DEFAULT, List.of(spanAt(NOW, 2)));

    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(1);
  }

  @Test
  void instancesSharingADatabaseDoNotFightOverPartitions() throws Exception {
    PostgresStorage one = open(DAILY_LOGS_KEPT_3_DAYS);
    PostgresStorage two = open(DAILY_LOGS_KEPT_3_DAYS);
    CyclicBarrier start = new CyclicBarrier(2);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (PostgresStorage storage : List.of(one, two)) {
      writes.add(
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (int day = 20; day < 40; day++) {
                  storage
                      .spans()
                      .saveSpans(
                          TenantId.DEFAULT, List.of(spanAt(NOW.minus(day, ChronoUnit.DAYS), day)));
                  storage.maintainPartitions();
                }
              }));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();

    assertThat(db.queryLong("SELECT count(*) FROM spans"))
        .isEqualTo(20); // each record once, whichever instance stored it
    assertThat(partitions("spans")).hasSize(3 + 20);
  }

  @Test
  void aNewIntervalFillsTheGapsBetweenPartitionsOfTheOldOne() throws SQLException {
    open(DAILY_LOGS_KEPT_3_DAYS);
    PostgresStorage sixHourly =
        open(
            new PartitionSettings(
                Duration.ofHours(6), 0, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)));

    sixHourly
        .logs()
        .saveLogs(
            TenantId.DEFAULT, List.of(logAt(TODAY.minus(4, ChronoUnit.DAYS).plusSeconds(1), "x")));
    sixHourly
        .logs()
        .saveLogs(
            TenantId.DEFAULT, List.of(logAt(TODAY.plus(1, ChronoUnit.DAYS), "in a daily one")));

    assertThat(partitions("logs"))
        .contains("logs_p20260611_0000 2026-06-11T00:00:00Z 2026-06-11T06:00:00Z")
        .hasSize(4);
  }

  private PostgresStorage open(PartitionSettings settings) {
    return open(settings, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private PostgresStorage open(PartitionSettings settings, Clock clock) {
    PostgresStorage storage = PostgresStorage.open(db.settings(), settings, clock);
    opened.add(storage);
    return storage;
  }

  private static Span spanAt(Instant start, int id) {
    long nanos = ChronoUnit.NANOS.between(Instant.EPOCH, start);
    return SampleTelemetry.withTimes(
        SampleTelemetry.span(SampleTelemetry.TRACE_ID, new SpanId(id), null, "at " + start),
        nanos,
        nanos + 1000);
  }

  private static LogRecord logAt(Instant time, String body) {
    long nanos = ChronoUnit.NANOS.between(Instant.EPOCH, time);
    return SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of(body)), nanos, nanos);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** "name lower upper" of each partition, in time order. */
  private List<String> partitions(String table) {
    PostgresPartitions catalog =
        new PostgresPartitions(
            pool(), PartitionSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), Optional.empty());
    List<String> names = new ArrayList<>();
    for (Map.Entry<Long, Long> range : catalog.ranges(table).entrySet()) {
      names.add(
          PostgresPartitions.partitionName(table, range.getKey())
              + " "
              + Instant.EPOCH.plus(range.getKey(), ChronoUnit.MICROS)
              + " "
              + Instant.EPOCH.plus(range.getValue(), ChronoUnit.MICROS));
    }
    return names;
  }

  private javax.sql.DataSource pool() {
    org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
    source.setUrl(db.jdbcUrl());
    source.setUser(db.user());
    source.setPassword(db.password());
    return source;
  }

  private List<String> bodies() throws SQLException {
    List<String> bodies = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT body FROM logs")) {
      while (rs.next()) {
        bodies.add(rs.getString(1));
      }
    }
    return bodies;
  }
}
