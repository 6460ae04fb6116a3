package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.CopyBatchWriter.Identity;
import dev.glust.adapter.postgres.CopyBatchWriter.Table;
import dev.glust.application.port.model.UsageSignal;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;

/**
 * Spans and logs, each batch through the {@link CopyBatchWriter}: its resources and scopes stored
 * first, in the same transaction (a committed row never references a missing one), then its rows,
 * then (spans, unless turned off) what the spans it stored show: their rollups and their service
 * dependencies ({@link SpanDerivatives}).
 */
final class PostgresTelemetryWriter implements SaveSpansPort, SaveLogsPort {
  private static final Table SPANS = new Table("spans", PostgresMapper.SPAN_COLUMNS);
  private static final Table LOGS = new Table("logs", PostgresMapper.LOG_COLUMNS);

  /**
   * How records of one kind become rows: their table, the signal their usage counts as, time,
   * resource and scope, row, and what else their batch writes from the records it stored.
   */
  private record Rows<T>(
      Table table,
      UsageSignal signal,
      List<String> partitionedTables,
      ToLongFunction<T> timeUnixNano,
      Function<T, Resource> resource,
      Function<T, InstrumentationScope> scope,
      RecordWriter<T> writer,
      Optional<Derived<T>> derived) {}

  interface RecordWriter<T> {
    void write(T record, ResourcesAndScopes.BatchIds ids, BinaryCopyRow row) throws IOException;
  }

  /**
   * What a batch writes after its rows, in its transaction, from the records it stored (not those a
   * retry found stored already, told apart by their {@link #identity}).
   */
  interface Derived<T> {
    Identity<T> identity();

    void write(Connection connection, List<T> stored) throws SQLException;
  }

  private final Rows<Span> spanRows;
  private final Rows<LogRecord> logRows;

  private final PostgresPartitions partitions;
  private final ResourcesAndScopes resourcesAndScopes;
  private final CopyBatchWriter copyBatches;

  /**
   * @param spanRollups whether span batches add up their operations' rate, errors and durations and
   *     the calls between services they show ({@link SpanDerivatives})
   */
  PostgresTelemetryWriter(
      DataSource dataSource,
      PostgresMapper mapper,
      PostgresPartitions partitions,
      ResourcesAndScopes resourcesAndScopes,
      SpanRollups spanRollups,
      DependencyRecorder dependencies) {
    this.partitions = partitions;
    this.resourcesAndScopes = resourcesAndScopes;
    this.copyBatches = new CopyBatchWriter(dataSource, partitions, List.of(SPANS, LOGS));
    this.spanRows =
        new Rows<>(
            SPANS,
            UsageSignal.TRACES,
            List.of(SPANS.name()),
            Span::startTimeUnixNano,
            Span::resource,
            Span::scope,
            mapper::writeSpan,
            spanRollups == SpanRollups.ON
                ? Optional.of(new SpanDerivatives(new OperationRollupWriter(), dependencies))
                : Optional.empty());
    this.logRows =
        new Rows<>(
            LOGS,
            UsageSignal.LOGS,
            List.of(LOGS.name()),
            LogRecord::effectiveTimeUnixNano,
            LogRecord::resource,
            LogRecord::scope,
            mapper::writeLog,
            Optional.empty());
  }

  @Override
  public void saveSpans(TenantId tenant, List<Span> spans) {
    write(TenantScope.of(tenant), spanRows, spans);
  }

  @Override
  public void saveLogs(TenantId tenant, List<LogRecord> logs) {
    write(TenantScope.of(tenant), logRows, logs);
  }

  /** Records already stored when a batch holding them again came in (retries). */
  long duplicatesSkipped() {
    return copyBatches.duplicatesSkipped();
  }

  /** Records not stored because they were older than the retention when they arrived. */
  long expiredOnArrival() {
    return copyBatches.expiredOnArrival();
  }

  /** Stores {@code batch} as {@code tenant}'s (the ports carry no tenant yet: the default). */
  private <T> void write(TenantScope tenant, Rows<T> rows, List<T> batch) {
    copyBatches.store(
        tenant,
        rows.signal(),
        batch.size(),
        rows.table().name(),
        rows.partitionedTables(),
        () -> unexpired(tenant, rows, batch));
  }

  /**
   * The records that retention keeps, in partitions made for them if need be; older ones are
   * counted, not stored, as retention would drop them.
   */
  private <T> RecordBatch<T> unexpired(TenantScope tenant, Rows<T> rows, List<T> batch) {
    String table = rows.table().name();
    ToLongFunction<T> timeUnixNano = rows.timeUnixNano();
    long keptFrom = partitions.keptFrom(table);
    long[] times = new long[batch.size()];
    int expired = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = PostgresPartitions.timeMicros(timeUnixNano.applyAsLong(batch.get(i)));
      if (times[i] < keptFrom) {
        expired++;
      }
    }
    List<T> records = batch;
    if (expired > 0) { // rare: the usual batch is all recent
      records = new ArrayList<>(batch.size() - expired);
      long[] keptTimes = new long[batch.size() - expired];
      for (int i = 0; i < times.length; i++) {
        if (times[i] >= keptFrom) {
          keptTimes[records.size()] = times[i];
          records.add(batch.get(i));
        }
      }
      times = keptTimes;
    }
    if (!records.isEmpty()) {
      partitions.coverBatch(table, times);
    }
    return new RecordBatch<>(tenant, rows, records, expired);
  }

  /** Spans or logs of one batch, and their resources and scopes. */
  private final class RecordBatch<T> implements CopyBatchWriter.Batch {
    private final TenantScope tenant;
    private final Rows<T> rows;
    private final List<T> records;
    private final int expired;

    RecordBatch(TenantScope tenant, Rows<T> rows, List<T> records, int expired) {
      this.tenant = tenant;
      this.rows = rows;
      this.records = records;
      this.expired = expired;
    }

    @Override
    public int expired() {
      return expired;
    }

    @Override
    public boolean isEmpty() {
      return records.isEmpty();
    }

    @Override
    public Runnable write(CopyBatchWriter.Copies copies) throws SQLException, IOException {
      ResourcesAndScopes.BatchIds ids =
          resourcesAndScopes.store(
              tenant, copies.connection(), records, rows.resource(), rows.scope());
      RecordWriter<T> writer = rows.writer();
      ToLongFunction<T> timeUnixNano = rows.timeUnixNano();
      ToLongFunction<T> timeMicros =
          record -> PostgresPartitions.timeMicros(timeUnixNano.applyAsLong(record));
      CopyBatchWriter.RowWriter<T> rowWriter = (record, row) -> writer.write(record, ids, row);
      if (rows.derived().isPresent()) {
        Derived<T> derived = rows.derived().get();
        derived.write(
            copies.connection(),
            copies.storedRows(rows.table(), records, timeMicros, rowWriter, derived.identity()));
      } else {
        copies.rows(rows.table(), records, timeMicros, rowWriter);
      }
      return () -> resourcesAndScopes.committed(ids);
    }
  }
}
