package dev.glust.adapter.postgres;

import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.TenantUsage;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.UsageStorageContract;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The usage storage contract, met by PostgreSQL (a new database each time). */
class PostgresUsageContractTest extends UsageStorageContract {
  private TestPostgres.Database database;

  @Override
  protected Storage openEmptyStorage() {
    database = TestPostgres.server().createDatabase();
    return database.openStorage();
  }

  /**
   * Spans of today lie in today's partition, whose size the tenants share by their written bytes:
   * the estimates add up to it.
   */
  @Test
  void theStoredBytesOfADayAreSharedByWrittenBytes() throws SQLException {
    long now = ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now());
    try (Storage storage = database.openStorage()) {
      storage.spans().saveSpans(new TenantId("acme"), spans(now, 300));
      storage.spans().saveSpans(new TenantId("beta"), spans(now, 100));
      LocalDate today = LocalDate.now(ZoneOffset.UTC);

      List<TenantUsage> usage = storage.tenantUsage().loadTenantUsage(today, today);

      assertThat(usage).extracting(TenantUsage::records).containsExactly(300L, 100L);
      assertThat(usage.get(0).storedBytesEstimate())
          .isGreaterThan(usage.get(1).storedBytesEstimate())
          .isGreaterThan(0);
      assertThat(usage.stream().mapToLong(TenantUsage::storedBytesEstimate).sum())
          .isCloseTo(spanPartitionBytes(today), within(2L));
    }
  }

  /**
   * Partition maintenance deletes the usage of days before the longest retention (logs: 10 days
   * here), and keeps everything when a signal is kept forever.
   */
  @Test
  void maintenanceDeletesTheUsageOfDaysBeforeTheLongestRetention() throws SQLException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Connection owner = database.connect();
        Statement insert = owner.createStatement()) {
      for (int daysAgo : new int[] {0, 10, 12}) {
        insert.execute(
            "INSERT INTO tenant_usage (day, tenant_id, signal, slot, records, written_bytes)"
                + " VALUES (DATE '"
                + today.minusDays(daysAgo)
                + "', 1, 'logs', 1, 1, 1)");
      }
    }
    Duration day = Duration.ofDays(1);
    try (PostgresStorage forever =
        PostgresStorage.open(
            database.settings(),
            new PartitionSettings(day, 2, day, Duration.ZERO, day, Duration.ofHours(1)),
            Clock.systemUTC())) {
      forever.maintainPartitions(); // as opening did
      assertThat(database.queryLong("SELECT count(*) FROM tenant_usage")).isEqualTo(3);
    }
    try (PostgresStorage tenDays =
        PostgresStorage.open(
            database.settings(),
            new PartitionSettings(
                day, 2, Duration.ofDays(2), Duration.ofDays(10), day, Duration.ofHours(1)),
            Clock.systemUTC())) {
      tenDays.maintainPartitions(); // as opening did
      // the day 10 days ago is still partly within the retention; the one 12 days ago is not
      assertThat(
              database.queryLong(
                  "SELECT count(*) FROM tenant_usage WHERE day >= DATE '"
                      + today.minusDays(10)
                      + "'"))
          .isEqualTo(2);
      assertThat(database.queryLong("SELECT count(*) FROM tenant_usage")).isEqualTo(2);
    }
  }

  /** Days before yesterday keep one row per tenant and signal, with the sums of their slots. */
  @Test
  void maintenanceFoldsThePastDaysSlotsIntoOneRow() throws SQLException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Connection owner = database.connect();
        Statement insert = owner.createStatement()) {
      for (int slot = 5; slot <= 7; slot++) {
        for (LocalDate day : List.of(today.minusDays(3), today)) {
          insert.execute(
              "INSERT INTO tenant_usage (day, tenant_id, signal, slot, records, written_bytes)"
                  + " VALUES (DATE '"
                  + day
                  + "', 1, 'traces', "
                  + slot
                  + ", "
                  + slot
                  + ", 100)");
        }
      }
    }
    try (Storage storage = database.openStorage()) {
      List<TenantUsage> before = storage.tenantUsage().loadTenantUsage(today.minusDays(3), today);
      ((PostgresStorage) storage).maintainPartitions();

      assertThat(database.queryLong("SELECT count(*) FROM tenant_usage WHERE day < now()::date"))
          .isEqualTo(1);
      assertThat(database.queryLong("SELECT count(*) FROM tenant_usage WHERE slot = 0"))
          .isEqualTo(1);
      assertThat(storage.tenantUsage().loadTenantUsage(today.minusDays(3), today))
          .isEqualTo(before)
          .extracting(TenantUsage::records)
          .containsExactly(18L, 18L);
    }
  }

  private static List<Span> spans(long start, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                span(
                    new TraceId(0xbee, i),
                    1,
                    null,
                    "checkout",
                    "GET /cart",
                    start - i * 1_000_000L,
                    5_000,
                    SpanStatus.Code.OK,
                    Attributes.EMPTY))
        .toList();
  }

  private long spanPartitionBytes(LocalDate day) throws SQLException {
    return database.queryLong(
        "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
            + " WHERE inhparent = 'spans'::regclass AND inhrelid::regclass::text LIKE 'spans_p"
            + day.toString().replace("-", "")
            + "_%'");
  }
}
