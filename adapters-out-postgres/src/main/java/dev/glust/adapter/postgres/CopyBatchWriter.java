package dev.glust.adapter.postgres;

import dev.glust.application.port.model.UsageSignal;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The one write path into the partitioned tables: each batch in one transaction of its tenant
 * ({@link TenantScope}), with one binary {@code COPY} per table and partition straight into the
 * partition holding the rows. Partitions have no row-level security (PostgreSQL refuses {@code COPY
 * FROM} into a table with it); their inherited constraint (migration V9) holds every row to the
 * transaction's tenant, as the parents' policies do (a row's {@code tenant_id} defaults to it).
 *
 * <p>A batch holding records that are stored already (a retried export: the identity indexes refuse
 * the whole COPY with 23505) is written again through the parents: a COPY into a session-private
 * staging table and an {@code INSERT … ON CONFLICT DO NOTHING … SELECT} from it, so that it is
 * stored once; so is a batch whose partition the writers may not insert into (42501: made by an
 * older version, before partitions were granted). A batch meeting a partition that retention
 * dropped meanwhile (23514, 42P01) is prepared again, once, after the partitions are looked up
 * anew. All rows or none, and the caller returns only after the commit. What the rows are, and what
 * a batch writes besides them, the writers say ({@link Batch}).
 *
 * <p>Each transaction also adds what it stored to its tenant's usage (migration V8): the rows the
 * COPYs and {@code INSERT}s reported (so a retry's duplicates count nothing, and a rollback nothing
 * at all) and the bytes of their COPY. One upsert of one row, last in the transaction: the row of
 * the tenant, signal and UTC day in the slot of this session's backend, which no concurrent
 * transaction shares, so writers never wait for each other's usage row (readers sum the slots).
 */
final class CopyBatchWriter {
  private static final int COPY_BUFFER_BYTES = 256 * 1024;

  /** A row outside its partition's range (or the parent's: no partition holds it). */
  private static final String NO_PARTITION_STATE = "23514";

  /** A partition copied into by name is gone. */
  private static final String NO_TABLE_STATE = "42P01";

  private static final String UNIQUE_VIOLATION_STATE = "23505";
  private static final String NOT_GRANTED_STATE = "42501";

  /** How one attempt's rows reach their tables. */
  private enum Route {
    /** COPY into each row's partition: the cheapest. */
    PARTITIONS,
    /** Staging table, then a plain INSERT into the parent. */
    PARENTS,
    /** Staging table, then INSERT … ON CONFLICT DO NOTHING into the parent: a retry's rows. */
    PARENTS_SKIPPING_STORED
  }

  /**
   * The session's backend pid is the slot: a session runs one transaction at a time, so two
   * concurrent ones never upsert the same row. A pooled session writes for hours, so a day has a
   * few rows per tenant, signal and pool connection.
   */
  private static final String COUNT_USAGE =
      "INSERT INTO tenant_usage AS u (day, tenant_id, signal, slot, records, written_bytes)"
          + " VALUES ((now() AT TIME ZONE 'UTC')::date, glust_tenant(), ?, pg_backend_pid(), ?, ?)"
          + " ON CONFLICT (day, tenant_id, signal, slot) DO UPDATE"
          + " SET records = u.records + EXCLUDED.records,"
          + " written_bytes = u.written_bytes + EXCLUDED.written_bytes";

  /**
   * A table rows are copied into, with the columns its writer writes, and the name of its
   * session-private staging table.
   */
  record Table(String name, String columns) {
    String staging() {
      return "glust_staging_" + name;
    }

    /**
     * The columns of a COPY: each row starts with its tenant's id ({@link BinaryCopyRow#ofTenant}).
     */
    String copyColumns() {
      return "tenant_id, " + columns;
    }
  }

  interface RowWriter<T> {
    void write(T record, BinaryCopyRow row) throws IOException;
  }

  /**
   * How the rows an {@code INSERT} stored are told from the records: an expression of a row's
   * identity that the {@code INSERT} returns (a {@code bytea}), and the same bytes of a record.
   */
  record Identity<T>(String returning, Function<T, byte[]> ofRecord) {
    Identity {
      Objects.requireNonNull(returning, "returning");
      Objects.requireNonNull(ofRecord, "ofRecord");
    }
  }

  /**
   * Makes a batch ready for one attempt: leaves out the records retention would drop and makes sure
   * partitions hold the rest. Called again when the attempt met a partition dropped meanwhile.
   */
  interface Preparation {
    Batch prepare();
  }

  /** A batch as one attempt stores it. */
  interface Batch {
    /** Records left out as older than the retention when they arrived. */
    int expired();

    /** Whether nothing is left to store. */
    boolean isEmpty();

    /**
     * Writes the batch in the open transaction: the rows through {@link Copies#rows} (or {@link
     * Copies#storedRows}, which tells which of them this attempt stored), anything else on {@link
     * Copies#connection()}. Returns what to do once it is committed (e.g. believe what was written
     * stored); may be called a second time, through staging, after a rollback.
     */
    Runnable write(Copies copies) throws SQLException, IOException;
  }

  private final DataSource dataSource;
  private final PostgresPartitions partitions;
  private final List<Table> stagedTables;

  /** Connections (sessions) that have their staging tables already. */
  private final Set<PGConnection> staged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Tenants' ids as committed transactions saw them (tenants are never renamed or removed). */
  private final Map<String, Short> tenantIds = new ConcurrentHashMap<>();

  private final AtomicLong duplicatesSkipped = new AtomicLong();
  private final AtomicLong expiredOnArrival = new AtomicLong();

  /**
   * @param stagedTables the tables of this writer's batches; their staging tables are created
   *     together, once per session
   */
  CopyBatchWriter(DataSource dataSource, PostgresPartitions partitions, List<Table> stagedTables) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.stagedTables = List.copyOf(stagedTables);
  }

  /** Records already stored when a batch holding them again came in (retries). */
  long duplicatesSkipped() {
    return duplicatesSkipped.get();
  }

  /** Records not stored because they were older than the retention when they arrived. */
  long expiredOnArrival() {
    return expiredOnArrival.get();
  }

  /**
   * Stores a batch of {@code count} {@code what} whose rows go into partitions of {@code
   * partitionedTables}; database failures become the application's error kinds.
   */
  void store(
      TenantScope tenant,
      UsageSignal signal,
      int count,
      String what,
      Collection<String> partitionedTables,
      Preparation preparation) {
    try {
      try {
        storeUnexpired(tenant, signal, preparation.prepare());
      } catch (SQLException | IOException e) {
        if (!hasState(e, NO_PARTITION_STATE) && !hasState(e, NO_TABLE_STATE)) {
          throw e;
        }
        // Retention dropped a partition this writer still believed in: look again, once.
        partitionedTables.forEach(partitions::forget);
        storeUnexpired(tenant, signal, preparation.prepare());
      }
    } catch (SQLException | IOException e) {
      throw PostgresErrorTranslator.translate("storing " + count + " " + what, e);
    }
  }

  /**
   * Optimistic: a COPY per table and partition, the cheapest. Only when that meets a record stored
   * already (a retry: the unique index refuses the whole COPY) is the batch written again through
   * the parents with {@code ON CONFLICT DO NOTHING}, which skips what is there at the cost of a
   * speculative insert.
   */
  private void storeUnexpired(TenantScope tenant, UsageSignal signal, Batch batch)
      throws SQLException, IOException {
    if (!batch.isEmpty()) {
      try {
        transaction(tenant, signal, batch, Route.PARTITIONS);
      } catch (SQLException | IOException e) {
        if (hasState(e, NOT_GRANTED_STATE)) {
          storeThroughParents(tenant, signal, batch);
        } else if (hasState(e, UNIQUE_VIOLATION_STATE)) {
          transaction(tenant, signal, batch, Route.PARENTS_SKIPPING_STORED);
        } else {
          throw e;
        }
      }
    }
    expiredOnArrival.addAndGet(batch.expired());
  }

  private void storeThroughParents(TenantScope tenant, UsageSignal signal, Batch batch)
      throws SQLException, IOException {
    try {
      transaction(tenant, signal, batch, Route.PARENTS);
    } catch (SQLException | IOException e) {
      if (!hasState(e, UNIQUE_VIOLATION_STATE)) {
        throw e;
      }
      transaction(tenant, signal, batch, Route.PARENTS_SKIPPING_STORED);
    }
  }

  private void transaction(TenantScope tenant, UsageSignal signal, Batch batch, Route route)
      throws SQLException, IOException {
    try (Connection connection = dataSource.getConnection()) {
      PGConnection session = connection.unwrap(PGConnection.class);
      ensureStaging(connection, session);
      connection.setAutoCommit(false);
      try {
        Short knownId = tenantIds.get(tenant.name());
        short id;
        if (knownId == null) {
          id = tenant.enterToWrite(connection);
        } else {
          id = knownId;
          tenant.enterKnown(connection, id);
        }
        Copies copies = new Copies(connection, session, partitions, route, id);
        Runnable afterCommit = batch.write(copies);
        countUsage(connection, signal, copies);
        connection.commit();
        // only now: a rolled back first write rolled the tenant's row back too
        tenantIds.putIfAbsent(tenant.name(), id);
        afterCommit.run();
        duplicatesSkipped.addAndGet(copies.offered - copies.stored);
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private static void countUsage(Connection connection, UsageSignal signal, Copies copies)
      throws SQLException {
    if (copies.stored == 0) {
      return; // all stored already: nothing used
    }
    try (PreparedStatement count = connection.prepareStatement(COUNT_USAGE)) {
      count.setString(1, signal.label());
      count.setLong(2, copies.stored);
      count.setLong(3, copies.storedBytes);
      count.executeUpdate();
    }
  }

  /** The COPYs of one batch's transaction, into partitions or through the parents. */
  static final class Copies {
    private final Connection connection;
    private final PGConnection session;
    private final PostgresPartitions partitions;
    private final Route route;
    private final short tenantId;
    private int offered;
    private int stored;
    private long storedBytes;

    private Copies(
        Connection connection,
        PGConnection session,
        PostgresPartitions partitions,
        Route route,
        short tenantId) {
      this.connection = connection;
      this.session = session;
      this.partitions = partitions;
      this.route = route;
      this.tenantId = tenantId;
    }

    /** The transaction's connection, for what the batch writes besides its rows. */
    Connection connection() {
      return connection;
    }

    /**
     * Copies {@code records} into {@code table} (into the partitions holding their {@code
     * timeMicros}, when this attempt may), skipping those stored already when retried.
     */
    <T> void rows(
        Table table, List<T> records, ToLongFunction<T> timeMicros, RowWriter<T> rowWriter)
        throws SQLException, IOException {
      copy(table, records, timeMicros, rowWriter, null);
    }

    /**
     * As {@link #rows}, and returns the records this attempt stored: all of them, unless it is a
     * retry's, which leaves out those stored already (the {@code INSERT} returns the {@code
     * identity} of the rows it stored).
     */
    <T> List<T> storedRows(
        Table table,
        List<T> records,
        ToLongFunction<T> timeMicros,
        RowWriter<T> rowWriter,
        Identity<T> identity)
        throws SQLException, IOException {
      return copy(table, records, timeMicros, rowWriter, Objects.requireNonNull(identity));
    }

    /**
     * Copies the rows; returns those stored, which a retry can tell from those it skipped only by
     * their {@code identity} (without one: all the records).
     */
    private <T> List<T> copy(
        Table table,
        List<T> records,
        ToLongFunction<T> timeMicros,
        RowWriter<T> rowWriter,
        Identity<T> identity)
        throws SQLException, IOException {
      Map<String, List<T>> byPartition =
          route == Route.PARTITIONS ? byPartition(table, records, timeMicros) : null;
      offered += records.size();
      if (byPartition != null) {
        for (Map.Entry<String, List<T>> partition : byPartition.entrySet()) {
          storedBytes += copyRows(partition.getKey(), table, partition.getValue(), rowWriter);
        }
        stored += records.size(); // a COPY stores all its rows or fails
        return records;
      }
      long bytes = copyRows(table.staging(), table, records, rowWriter);
      List<T> storedRecords = records;
      int inserted;
      if (route == Route.PARENTS_SKIPPING_STORED && identity != null) {
        storedRecords = insertFromStagingReturning(table, records, identity);
        inserted = storedRecords.size();
      } else {
        inserted = insertFromStaging(table);
      }
      stored += inserted;
      // exact unless a retry skipped some: then the stored rows' share of the COPY
      storedBytes +=
          inserted == records.size()
              ? bytes
              : Math.round((double) bytes * inserted / records.size());
      return storedRecords;
    }

    /**
     * The records by the partition holding them, in the order they came; null when a partition is
     * not known (the rows then go through the parent, which finds it).
     */
    private <T> Map<String, List<T>> byPartition(
        Table table, List<T> records, ToLongFunction<T> timeMicros) {
      Map<String, List<T>> byPartition = new LinkedHashMap<>();
      Map.Entry<Long, Long> range = null;
      List<T> rows = null;
      for (T record : records) {
        long time = timeMicros.applyAsLong(record);
        if (range == null || time < range.getKey() || time >= range.getValue()) {
          range = partitions.knownPartitionHolding(table.name(), time);
          if (range == null) {
            return null;
          }
          rows =
              byPartition.computeIfAbsent(
                  PostgresPartitions.partitionName(table.name(), range.getKey()),
                  name -> new ArrayList<>());
        }
        rows.add(record);
      }
      return byPartition;
    }

    /**
     * Copies {@code records} into {@code table}'s staging table only, for the batch to merge with
     * its own statement.
     */
    <T> void staged(Table table, Iterable<T> records, RowWriter<T> rowWriter)
        throws SQLException, IOException {
      copyRows(table.staging(), table, records, rowWriter);
    }

    private int insertFromStaging(Table table) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        return statement.executeUpdate(insertFromStagingSql(table));
      }
    }

    private String insertFromStagingSql(Table table) {
      return "INSERT INTO "
          + table.name()
          + " ("
          + table.copyColumns()
          + ") SELECT "
          + table.copyColumns()
          + " FROM "
          + table.staging()
          + (route == Route.PARENTS_SKIPPING_STORED ? " ON CONFLICT DO NOTHING" : "");
    }

    /**
     * Inserts from staging and returns the records whose rows were inserted: as many of each
     * identity as the {@code INSERT} returned, in the order they came.
     */
    private <T> List<T> insertFromStagingReturning(
        Table table, List<T> records, Identity<T> identity) throws SQLException {
      Map<ByteBuffer, Integer> inserted = new HashMap<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  insertFromStagingSql(table) + " RETURNING " + identity.returning())) {
        while (rows.next()) {
          inserted.merge(ByteBuffer.wrap(rows.getBytes(1)), 1, Integer::sum);
        }
      }
      List<T> stored = new ArrayList<>(inserted.size());
      for (T record : records) {
        ByteBuffer key = ByteBuffer.wrap(identity.ofRecord().apply(record));
        Integer left = inserted.get(key);
        if (left != null) {
          stored.add(record);
          if (left == 1) {
            inserted.remove(key);
          } else {
            inserted.put(key, left - 1);
          }
        }
      }
      return stored;
    }

    /**
     * One binary COPY of {@code records} into {@code target} (the table, a partition of it or its
     * staging table), in the transaction, each row starting with the transaction's tenant.
     *
     * @return the bytes of the COPY's rows (without its header and trailer)
     */
    private <T> long copyRows(
        String target, Table table, Iterable<T> records, RowWriter<T> rowWriter)
        throws SQLException, IOException {
      String copy = "COPY " + target + " (" + table.copyColumns() + ") FROM STDIN (FORMAT binary)";
      PGCopyOutputStream stream = new PGCopyOutputStream(session, copy, COPY_BUFFER_BYTES);
      try (stream) {
        CountingStream counted = new CountingStream(stream);
        BinaryCopyRow row = BinaryCopyRow.ofTenant(counted, tenantId);
        row.header();
        long headerBytes = counted.bytes;
        for (T record : records) {
          rowWriter.write(record, row);
        }
        long rowBytes = counted.bytes - headerBytes;
        row.trailer();
        return rowBytes;
      }
    }
  }

  /** Counts the bytes passing through (whole arrays at a time, as FilterOutputStream does not). */
  private static final class CountingStream extends FilterOutputStream {
    private long bytes;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
    }
  }

  /** A COPY's failure may reach us as an IOException of the stream, the SQL error inside. */
  private static boolean hasState(Throwable failure, String state) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Staging tables are temporary (private to the session, never WAL-logged, in the session's
   * temp_buffers) and emptied by every commit or rollback; they are created once per pooled
   * connection, outside the batch's transaction.
   */
  private void ensureStaging(Connection connection, PGConnection session) throws SQLException {
    if (staged.contains(session)) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      for (Table table : stagedTables) {
        statement.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS "
                + table.staging()
                + " ON COMMIT DELETE ROWS AS SELECT "
                + table.copyColumns()
                + " FROM "
                + table.name()
                + " WITH NO DATA");
      }
    }
    staged.add(session);
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it and the server aborts the transaction
    }
  }
}
