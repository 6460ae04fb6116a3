package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.CopyBatchWriter.RowWriter;
import dev.glust.adapter.postgres.CopyBatchWriter.Table;
import dev.glust.application.port.model.UsageSignal;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
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
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Stores a batch of data points through the {@link CopyBatchWriter}, in one transaction: the series
 * rows it needs first, then one binary {@code COPY} per point table (a kind's table).
 *
 * <p>A series row's {@code [first_seen, last_seen]} spans its arrivals and the times of its points,
 * so a query finds a series by the time of its points even when they arrived late or were
 * backfilled. Series rows are upserted ({@code ON CONFLICT (tenant_id, series_id) DO UPDATE}, which
 * widens that span) only when the batch brings a point before {@code first_seen}, or an arrival or
 * point more than {@link #SERIES_REFRESH} after {@code last_seen}; a bounded cache of the span this
 * instance wrote for each series lets the hot path skip the rest: a steady stream of points of
 * known series costs no series work at all. So {@code first_seen} is exact and {@code last_seen}
 * lags the last arrival or point by at most twice that, an hour. The cache is filled only after a
 * commit: a rolled-back series is not believed stored.
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

  /**
   * The span of a series' row in microseconds: the earliest and latest of its points' times and
   * arrivals (what {@code first_seen} and {@code last_seen} hold, or at least cover).
   */
  private record SeenSpan(long firstMicros, long lastMicros) {
    SeenSpan including(long micros) {
      return new SeenSpan(Math.min(firstMicros, micros), Math.max(lastMicros, micros));
    }

    SeenSpan including(SeenSpan other) {
      return including(other.firstMicros).including(other.lastMicros);
    }

    /** Whether a row holding this span needs no update for {@code batch}. */
    boolean covers(SeenSpan batch) {
      return batch.firstMicros >= firstMicros
          && batch.lastMicros <= lastMicros + SERIES_REFRESH.toNanos() / 1000;
    }
  }

  /** A series row to upsert: a point of the series (its identity) and the span to widen it to. */
  private record SeriesRow(Row row, SeenSpan span) {}

  private final PostgresMapper mapper;
  private final PostgresPartitions partitions;
  private final ResourcesAndScopes resourcesAndScopes;
  private final Clock clock;

  /** A series of a tenant (two tenants sending one series have a row each, with one id). */
  private record TenantSeries(TenantScope tenant, ByteBuffer seriesId) {}

  /** Series (ids as ByteBuffers, for equality) → the span this instance upserted them with. */
  private final Map<TenantSeries, SeenSpan> recentSeries =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TenantSeries, SeenSpan> eldest) {
              return size() > MAX_CACHED_SERIES;
            }
          });

  private final CopyBatchWriter copyBatches;
  private final AtomicLong seriesUpserted = new AtomicLong();

  PostgresMetricWriter(
      DataSource dataSource,
      PostgresMapper mapper,
      PostgresPartitions partitions,
      ResourcesAndScopes resourcesAndScopes,
      Clock clock) {
    this.copyBatches = new CopyBatchWriter(dataSource, partitions, stagedTables());
    this.resourcesAndScopes = resourcesAndScopes;
    this.mapper = mapper;
    this.partitions = partitions;
    this.clock = clock;
  }

  /** The series table's and every point table's, staged together once per session. */
  private static List<Table> stagedTables() {
    List<Table> tables = new ArrayList<>();
    tables.add(SERIES);
    for (PointTable table : PointTable.values()) {
      tables.add(table.table);
    }
    return tables;
  }

  @Override
  public void saveMetrics(TenantId tenant, List<MetricPoint> points) {
    save(TenantScope.of(tenant), points);
  }

  private void save(TenantScope tenant, List<MetricPoint> points) {
    copyBatches.store(
        tenant,
        UsageSignal.METRICS,
        points.size(),
        "metric data points",
        PostgresPartitions.METRIC_POINT_TABLES,
        () -> unexpired(tenant, points));
  }

  long duplicatesSkipped() {
    return copyBatches.duplicatesSkipped();
  }

  long expiredOnArrival() {
    return copyBatches.expiredOnArrival();
  }

  /** Series rows sent to the database (new, or due for a {@code last_seen} refresh). */
  long seriesUpserted() {
    return seriesUpserted.get();
  }

  /**
   * The points that retention keeps, by point table, in partitions made for them if need be; older
   * ones are counted, not stored, as retention would drop them.
   */
  private PointBatch unexpired(TenantScope tenant, List<MetricPoint> points) {
    long keptFrom = partitions.keptFrom(PointTable.NUMBER.table.name()); // one retention for all
    SeriesIdentity identity = new SeriesIdentity();
    Map<PointTable, List<Row>> byTable = new EnumMap<>(PointTable.class);
    int expired = 0;
    for (MetricPoint point : points) {
      long micros = PostgresPartitions.timeMicros(point.point().timeUnixNano());
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
    if (byTable.isEmpty()) {
      return new PointBatch(tenant, byTable, Map.of(), expired);
    }
    Instant now = clock.instant();
    long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    return new PointBatch(tenant, byTable, seriesToWrite(tenant, byTable, nowMicros), expired);
  }

  /**
   * The series of the batch whose rows, as far as this instance knows, do not cover the batch's
   * points and arrival yet, each once (ON CONFLICT DO UPDATE may touch a row only once per
   * statement), with the span of their points in the batch and now.
   */
  private Map<ByteBuffer, SeriesRow> seriesToWrite(
      TenantScope tenant, Map<PointTable, List<Row>> byTable, long nowMicros) {
    Map<ByteBuffer, SeriesRow> inBatch = new LinkedHashMap<>();
    for (List<Row> rows : byTable.values()) {
      for (Row row : rows) {
        inBatch.merge(
            ByteBuffer.wrap(row.seriesId()),
            new SeriesRow(row, new SeenSpan(nowMicros, nowMicros).including(row.timeMicros())),
            (old, added) -> new SeriesRow(old.row(), old.span().including(added.span())));
      }
    }
    inBatch
        .entrySet()
        .removeIf(
            series -> {
              SeenSpan known = recentSeries.get(new TenantSeries(tenant, series.getKey()));
              return known != null && known.covers(series.getValue().span());
            });
    return inBatch;
  }

  /** The points of one batch by table, and the series among theirs to upsert. */
  private final class PointBatch implements CopyBatchWriter.Batch {
    private final TenantScope tenant;
    private final Map<PointTable, List<Row>> byTable;
    private final Map<ByteBuffer, SeriesRow> series;
    private final int expired;

    PointBatch(
        TenantScope tenant,
        Map<PointTable, List<Row>> byTable,
        Map<ByteBuffer, SeriesRow> series,
        int expired) {
      this.tenant = tenant;
      this.byTable = byTable;
      this.series = series;
      this.expired = expired;
    }

    @Override
    public int expired() {
      return expired;
    }

    @Override
    public boolean isEmpty() {
      return byTable.isEmpty();
    }

    @Override
    public Runnable write(CopyBatchWriter.Copies copies) throws SQLException, IOException {
      ResourcesAndScopes.BatchIds ids = series.isEmpty() ? null : writeSeries(copies);
      for (Map.Entry<PointTable, List<Row>> rows : byTable.entrySet()) {
        copies.rows(
            rows.getKey().table, rows.getValue(), Row::timeMicros, pointWriter(rows.getKey()));
      }
      return () -> {
        if (ids != null) {
          resourcesAndScopes.committed(ids);
        }
        seriesUpserted.addAndGet(series.size());
        series.forEach(
            (id, written) ->
                recentSeries.merge(
                    new TenantSeries(tenant, id), written.span(), SeenSpan::including));
      };
    }

    /** The series' resources and scopes first, in this transaction (see ResourcesAndScopes). */
    private ResourcesAndScopes.BatchIds writeSeries(CopyBatchWriter.Copies copies)
        throws SQLException, IOException {
      ResourcesAndScopes.BatchIds ids =
          resourcesAndScopes.store(
              tenant,
              copies.connection(),
              List.copyOf(series.values()),
              written -> written.row().point().metric().resource(),
              written -> written.row().point().metric().scope());
      copies.staged(
          SERIES,
          series.values(),
          (written, out) ->
              mapper.writeSeries(
                  written.row().point().metric(),
                  written.row().data(),
                  written.row().seriesId(),
                  written.span().firstMicros() * 1000,
                  written.span().lastMicros() * 1000,
                  ids,
                  out));
      upsertSeries(copies.connection());
      return ids;
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
   * New series are inserted (as the transaction's tenant's, which the policies check, also for the
   * update); known ones only get their span widened, and only when the batch brings a point before
   * {@code first_seen} or an arrival or point more than {@link #SERIES_REFRESH} after {@code
   * last_seen}: live series cost one row update per series and half hour. Rows are upserted in
   * series-id order, so two writers lock the series rows they share in the same order and cannot
   * deadlock.
   */
  private static void upsertSeries(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO metric_series ("
              + SERIES.copyColumns()
              + ") SELECT "
              + SERIES.copyColumns()
              + " FROM "
              + SERIES.staging()
              + " ORDER BY series_id"
              + " ON CONFLICT (tenant_id, series_id) DO UPDATE"
              + " SET first_seen = least(metric_series.first_seen, EXCLUDED.first_seen),"
              + " last_seen = greatest(metric_series.last_seen, EXCLUDED.last_seen)"
              + " WHERE metric_series.first_seen > EXCLUDED.first_seen"
              + " OR metric_series.last_seen < EXCLUDED.last_seen - interval '"
              + SERIES_REFRESH.toSeconds()
              + " seconds'");
    }
  }
}
