package dev.glust.adapter.postgres;

import static dev.glust.adapter.postgres.PostgresTelemetryWriter.NO_PARTITION_STATE;
import static dev.glust.adapter.postgres.PostgresTelemetryWriter.UNIQUE_VIOLATION_STATE;
import static dev.glust.adapter.postgres.PostgresTelemetryWriter.hasState;

import dev.glust.adapter.postgres.PostgresTelemetryWriter.RowWriter;
import dev.glust.adapter.postgres.PostgresTelemetryWriter.Table;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Stores a batch of data points in one transaction: the series rows it needs first, then one binary
 * {@code COPY} per point table (a kind's table). A retried export's points, stored already, go
 * through staging tables and {@code ON CONFLICT DO NOTHING} (as spans and logs do).
 *
 * <p>Series rows are upserted ({@code ON CONFLICT (series_id) DO UPDATE} of {@code last_seen} only
 * when it is older than {@link #SERIES_REFRESH}), and a bounded cache of the series this instance
 * wrote within {@link #SERIES_REFRESH} lets the hot path skip them: a steady stream of points of
 * known series costs no series work at all. So {@code last_seen} lags the last write by at most
 * twice that, an hour. The cache is filled only after a commit: a rolled-back series is not
 * believed stored.
 */
final class PostgresMetricWriter implements SaveMetricsPort {
  static final Duration SERIES_REFRESH = Duration.ofMinutes(30);
  static final int MAX_CACHED_SERIES = 100_000;

  private static final Table SERIES = new Table("metric_series", PostgresMapper.SERIES_COLUMNS);

  /** The point tables, by the kinds they hold. */
  private enum PointTable {
    NUMBER(PostgresMapper.NUMBER_COLUMNS),
    HISTOGRAM(PostgresMapper.HISTOGRAM_COLUMNS),
    EXP_HISTOGRAM(PostgresMapper.EXP_HISTOGRAM_COLUMNS),
    SUMMARY(PostgresMapper.SUMMARY_COLUMNS);

    final Table table;

    PointTable(String columns) {
      this.table = new Table(PostgresPartitions.METRIC_POINT_TABLES.get(ordinal()), columns);
    }

    static PointTable of(MetricKind kind) {
      return switch (kind) {
        case GAUGE, SUM -> NUMBER;
        case HISTOGRAM -> HISTOGRAM;
        case EXPONENTIAL_HISTOGRAM -> EXP_HISTOGRAM;
        case SUMMARY -> SUMMARY;
      };
    }
  }

  /** A point ready to write: its series id, and its time in the partitions' microseconds. */
  private record Row(MetricPoint point, byte[] seriesId, long timeMicros) {
    DataPoint data() {
      return point.point();
    }
  }

  private final DataSource dataSource;
  private final PostgresMapper mapper;
  private final PostgresPartitions partitions;
  private final ResourcesAndScopes resourcesAndScopes;
  private final Clock clock;

  /** Series ids (as ByteBuffers, for equality) → when this instance last upserted them. */
  private final Map<ByteBuffer, Instant> recentSeries =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Instant> eldest) {
              return size() > MAX_CACHED_SERIES;
            }
          });

  private final Set<PGConnection> staged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final AtomicLong duplicatesSkipped = new AtomicLong();
  private final AtomicLong expiredOnArrival = new AtomicLong();
  private final AtomicLong seriesUpserted = new AtomicLong();

  PostgresMetricWriter(
      DataSource dataSource,
      PostgresMapper mapper,
      PostgresPartitions partitions,
      ResourcesAndScopes resourcesAndScopes,
      Clock clock) {
    this.dataSource = dataSource;
    this.resourcesAndScopes = resourcesAndScopes;
    this.mapper = mapper;
    this.partitions = partitions;
    this.clock = clock;
  }

  @Override
  public void saveMetrics(List<MetricPoint> points) {
    try {
      try {
        storeUnexpired(points);
      } catch (SQLException | IOException e) {
        if (!hasState(e, NO_PARTITION_STATE)) {
          throw e;
        }
        // Retention dropped a partition this writer still believed in: look again, once.
        PostgresPartitions.METRIC_POINT_TABLES.forEach(partitions::forget);
        storeUnexpired(points);
      }
    } catch (SQLException | IOException e) {
      throw PostgresErrorTranslator.translate(
          "storing " + points.size() + " metric data points", e);
    }
  }

  long duplicatesSkipped() {
    return duplicatesSkipped.get();
  }

  long expiredOnArrival() {
    return expiredOnArrival.get();
  }

  /** Series rows sent to the database (new, or due for a {@code last_seen} refresh). */
  long seriesUpserted() {
    return seriesUpserted.get();
  }

  private void storeUnexpired(List<MetricPoint> points) throws SQLException, IOException {
    long keptFrom = partitions.keptFrom(PointTable.NUMBER.table.name()); // one retention for all
    SeriesIdentity identity = new SeriesIdentity();
    Map<PointTable, List<Row>> byTable = new EnumMap<>(PointTable.class);
    int expired = 0;
    for (MetricPoint point : points) {
      long micros = PostgresTelemetryWriter.micros(point.point().timeUnixNano());
      if (micros < keptFrom) {
        expired++;
        continue;
      }
      byTable
          .computeIfAbsent(PointTable.of(point.metric().kind()), t -> new ArrayList<>())
          .add(new Row(point, identity.of(point), micros));
    }
    for (Map.Entry<PointTable, List<Row>> rows : byTable.entrySet()) {
      partitions.coverBatch(
          rows.getKey().table.name(),
          rows.getValue().stream().mapToLong(Row::timeMicros).toArray());
    }
    if (!byTable.isEmpty()) {
      Instant now = clock.instant();
      Map<ByteBuffer, Row> series = seriesToWrite(byTable, now);
      try {
        transaction(byTable, series, now, false);
      } catch (SQLException | IOException e) {
        if (!hasState(e, UNIQUE_VIOLATION_STATE)) {
          throw e;
        }
        transaction(byTable, series, now, true); // a retry: skip the points stored already
      }
    }
    expiredOnArrival.addAndGet(expired);
  }

  /**
   * The series of the batch this instance has not upserted lately, each once (ON CONFLICT DO UPDATE
   * may touch a row only once per statement).
   */
  private Map<ByteBuffer, Row> seriesToWrite(Map<PointTable, List<Row>> byTable, Instant now) {
    Instant freshFrom = now.minus(SERIES_REFRESH);
    Map<ByteBuffer, Row> series = new LinkedHashMap<>();
    for (List<Row> rows : byTable.values()) {
      for (Row row : rows) {
        ByteBuffer id = ByteBuffer.wrap(row.seriesId());
        Instant written = recentSeries.get(id);
        if (written == null || written.isBefore(freshFrom)) {
          series.putIfAbsent(id, row);
        }
      }
    }
    return series;
  }

  private void transaction(
      Map<PointTable, List<Row>> byTable,
      Map<ByteBuffer, Row> series,
      Instant now,
      boolean viaStaging)
      throws SQLException, IOException {
    try (Connection connection = dataSource.getConnection()) {
      PGConnection session = connection.unwrap(PGConnection.class);
      ensureStaging(connection, session);
      connection.setAutoCommit(false);
      try {
        ResourcesAndScopes.BatchIds ids = null;
        if (!series.isEmpty()) {
          // the series' resources and scopes first, in this transaction (see ResourcesAndScopes)
          ResourcesAndScopes.BatchIds seriesIds =
              resourcesAndScopes.store(
                  connection,
                  List.copyOf(series.values()),
                  row -> row.point().metric().resource(),
                  row -> row.point().metric().scope());
          ids = seriesIds;
          PostgresTelemetryWriter.copyRows(
              session,
              SERIES.staging(),
              SERIES.columns(),
              series.values(),
              (row, out) ->
                  mapper.writeSeries(
                      row.point().metric(), row.data(), row.seriesId(), now, seriesIds, out));
          upsertSeries(connection);
        }
        int total = 0;
        int stored = 0;
        for (Map.Entry<PointTable, List<Row>> rows : byTable.entrySet()) {
          Table table = rows.getKey().table;
          PostgresTelemetryWriter.copyRows(
              session,
              viaStaging ? table.staging() : table.name(),
              table.columns(),
              rows.getValue(),
              pointWriter(rows.getKey()));
          total += rows.getValue().size();
          stored +=
              viaStaging
                  ? PostgresTelemetryWriter.insertNewFromStaging(connection, table)
                  : rows.getValue().size();
        }
        connection.commit();
        if (ids != null) {
          resourcesAndScopes.committed(ids);
        }
        duplicatesSkipped.addAndGet(total - stored);
        seriesUpserted.addAndGet(series.size());
        series.keySet().forEach(id -> recentSeries.put(id, now));
      } catch (SQLException | IOException | RuntimeException e) {
        PostgresTelemetryWriter.rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private RowWriter<Row> pointWriter(PointTable table) {
    return switch (table) {
      case NUMBER -> (row, out) -> mapper.writeNumberPoint(row.seriesId(), row.data(), out);
      case HISTOGRAM -> (row, out) -> mapper.writeHistogramPoint(row.seriesId(), row.data(), out);
      case EXP_HISTOGRAM ->
          (row, out) -> mapper.writeExponentialHistogramPoint(row.seriesId(), row.data(), out);
      case SUMMARY -> (row, out) -> mapper.writeSummaryPoint(row.seriesId(), row.data(), out);
    };
  }

  /**
   * New series are inserted; known ones only get a newer {@code last_seen}, and only when theirs is
   * older than {@link #SERIES_REFRESH}: a refresh is one row update per series and half hour. Rows
   * are upserted in series-id order, so two writers lock the series rows they share in the same
   * order and cannot deadlock.
   */
  private static void upsertSeries(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO metric_series ("
              + SERIES.columns()
              + ") SELECT "
              + SERIES.columns()
              + " FROM "
              + SERIES.staging()
              + " ORDER BY series_id"
              + " ON CONFLICT (series_id) DO UPDATE SET last_seen = EXCLUDED.last_seen"
              + " WHERE metric_series.last_seen < EXCLUDED.last_seen - interval '"
              + SERIES_REFRESH.toSeconds()
              + " seconds'");
    }
  }

  private void ensureStaging(Connection connection, PGConnection session) throws SQLException {
    if (staged.contains(session)) {
      return;
    }
    List<Table> tables = new ArrayList<>();
    tables.add(SERIES);
    for (PointTable table : PointTable.values()) {
      tables.add(table.table);
    }
    PostgresTelemetryWriter.createStaging(connection, tables);
    staged.add(session);
  }
}
