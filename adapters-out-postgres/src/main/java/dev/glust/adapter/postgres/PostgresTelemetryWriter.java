package dev.glust.adapter.postgres;

import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Stores each batch in one transaction with one binary {@code COPY}; a batch holding records that
 * are stored already (a retried export) goes through a session-private staging table and {@code
 * INSERT … ON CONFLICT DO NOTHING} instead, so that it is stored once (see the identity indexes of
 * migration V3). All rows or none, and the caller returns only after the commit.
 */
final class PostgresTelemetryWriter implements SaveSpansPort, SaveLogsPort {
  private static final int COPY_BUFFER_BYTES = 256 * 1024;
  static final String NO_PARTITION_STATE = "23514";
  static final String UNIQUE_VIOLATION_STATE = "23505";

  /** A table rows are copied into, and the name of its session-private staging table. */
  record Table(String name, String columns) {
    String staging() {
      return "glust_staging_" + name;
    }
  }

  private static final Table SPANS = new Table("spans", PostgresMapper.SPAN_COLUMNS);
  private static final Table LOGS = new Table("logs", PostgresMapper.LOG_COLUMNS);

  /** How records of one kind become rows: their table, time, resource and scope, and row. */
  private record Rows<T>(
      Table table,
      ToLongFunction<T> timeUnixNano,
      Function<T, Resource> resource,
      Function<T, InstrumentationScope> scope,
      RecordWriter<T> writer) {}

  interface RecordWriter<T> {
    void write(T record, ResourcesAndScopes.BatchIds ids, BinaryCopyRow row) throws IOException;
  }

  private final Rows<Span> spanRows;
  private final Rows<LogRecord> logRows;

  private final DataSource dataSource;
  private final PostgresPartitions partitions;
  private final ResourcesAndScopes resourcesAndScopes;

  /** Connections (sessions) that have their staging tables already. */
  private final Set<PGConnection> staged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final AtomicLong duplicatesSkipped = new AtomicLong();
  private final AtomicLong expiredOnArrival = new AtomicLong();

  PostgresTelemetryWriter(
      DataSource dataSource,
      PostgresMapper mapper,
      PostgresPartitions partitions,
      ResourcesAndScopes resourcesAndScopes) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.resourcesAndScopes = resourcesAndScopes;
    this.spanRows =
        new Rows<>(SPANS, Span::startTimeUnixNano, Span::resource, Span::scope, mapper::writeSpan);
    this.logRows =
        new Rows<>(
            LOGS,
            LogRecord::effectiveTimeUnixNano,
            LogRecord::resource,
            LogRecord::scope,
            mapper::writeLog);
  }

  @Override
  public void saveSpans(List<Span> spans) {
    write(spanRows, spans);
  }

  @Override
  public void saveLogs(List<LogRecord> logs) {
    write(logRows, logs);
  }

  /** Records already stored when a batch holding them again came in (retries). */
  long duplicatesSkipped() {
    return duplicatesSkipped.get();
  }

  /** Records not stored because they were older than the retention when they arrived. */
  long expiredOnArrival() {
    return expiredOnArrival.get();
  }

  interface RowWriter<T> {
    void write(T record, BinaryCopyRow row) throws IOException;
  }

  private <T> void write(Rows<T> rows, List<T> batch) {
    Table table = rows.table();
    try {
      try {
        storeUnexpired(rows, batch);
      } catch (SQLException | IOException e) {
        if (!hasState(e, NO_PARTITION_STATE)) {
          throw e;
        }
        // Retention dropped a partition this writer still believed in: look again, once.
        partitions.forget(table.name());
        storeUnexpired(rows, batch);
      }
    } catch (SQLException | IOException e) {
      throw PostgresErrorTranslator.translate("storing " + batch.size() + " " + table.name(), e);
    }
  }

  /**
   * Stores the records that retention keeps, in partitions made for them if need be; older ones are
   * counted, not stored, as retention would drop them.
   */
  private <T> void storeUnexpired(Rows<T> rows, List<T> batch) throws SQLException, IOException {
    Table table = rows.table();
    ToLongFunction<T> timeUnixNano = rows.timeUnixNano();
    long keptFrom = partitions.keptFrom(table.name());
    long[] times = new long[batch.size()];
    int expired = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = micros(timeUnixNano.applyAsLong(batch.get(i)));
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
      partitions.coverBatch(table.name(), times);
      store(rows, records);
    }
    expiredOnArrival.addAndGet(expired);
  }

  static long micros(long unixNano) {
    return Math.floorDiv(unixNano, 1000L);
  }

  /**
   * Optimistic: one COPY straight into the table, as fast as PostgreSQL ingests. Only when that
   * meets a record stored already (a retry: the unique index refuses the whole COPY) is the batch
   * written again through the staging table, which skips what is there.
   */
  private <T> void store(Rows<T> rows, List<T> records) throws SQLException, IOException {
    try {
      copy(rows, records, false);
    } catch (SQLException | IOException e) {
      if (!hasState(e, UNIQUE_VIOLATION_STATE)) {
        throw e;
      }
      copy(rows, records, true);
    }
  }

  /**
   * The batch's resources and scopes are stored first, in the same transaction: a committed row
   * never references a missing one.
   */
  private <T> void copy(Rows<T> rows, List<T> records, boolean viaStaging)
      throws SQLException, IOException {
    Table table = rows.table();
    try (Connection connection = dataSource.getConnection()) {
      PGConnection session = connection.unwrap(PGConnection.class);
      if (viaStaging) {
        ensureStaging(connection, session);
      }
      connection.setAutoCommit(false);
      try {
        ResourcesAndScopes.BatchIds ids =
            resourcesAndScopes.store(connection, records, rows.resource(), rows.scope());
        copyRows(
            session,
            viaStaging ? table.staging() : table.name(),
            table.columns(),
            records,
            (record, row) -> rows.writer().write(record, ids, row));
        int stored = viaStaging ? insertNewFromStaging(connection, table) : records.size();
        connection.commit();
        resourcesAndScopes.committed(ids);
        duplicatesSkipped.addAndGet(records.size() - stored);
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  /** One binary COPY of {@code records} into {@code target}, in the session's transaction. */
  static <T> void copyRows(
      PGConnection session,
      String target,
      String columns,
      Iterable<T> records,
      RowWriter<T> rowWriter)
      throws SQLException, IOException {
    String copy = "COPY " + target + " (" + columns + ") FROM STDIN (FORMAT binary)";
    PGCopyOutputStream stream = new PGCopyOutputStream(session, copy, COPY_BUFFER_BYTES);
    try (stream) {
      BinaryCopyRow row = new BinaryCopyRow(stream);
      row.header();
      for (T record : records) {
        rowWriter.write(record, row);
      }
      row.trailer();
    }
  }

  static int insertNewFromStaging(Connection connection, Table table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(
          "INSERT INTO "
              + table.name()
              + " ("
              + table.columns()
              + ") SELECT "
              + table.columns()
              + " FROM "
              + table.staging()
              + " ON CONFLICT DO NOTHING");
    }
  }

  /** A COPY's failure may reach us as an IOException of the stream, the SQL error inside. */
  static boolean hasState(Throwable failure, String state) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Staging tables are temporary (private to the session, never WAL-logged) and emptied by every
   * commit; they are created once per pooled connection, outside the batch's transaction.
   */
  private void ensureStaging(Connection connection, PGConnection session) throws SQLException {
    if (staged.contains(session)) {
      return;
    }
    createStaging(connection, List.of(SPANS, LOGS));
    staged.add(session);
  }

  static void createStaging(Connection connection, List<Table> tables) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (Table table : tables) {
        statement.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS "
                + table.staging()
                + " ON COMMIT DELETE ROWS AS SELECT "
                + table.columns()
                + " FROM "
                + table.name()
                + " WITH NO DATA");
      }
    }
  }

  static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it and the server aborts the transaction
    }
  }
}
