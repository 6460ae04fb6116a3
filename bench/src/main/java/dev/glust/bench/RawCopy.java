package dev.glust.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The database's ceiling for a table: its rows exported with binary COPY, the table emptied, and
 * the same bytes written back with binary COPY in fixed-size batches by parallel connections.
 */
final class RawCopy {
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  record Result(long rows, double rate) {}

  /** A table's rows as binary COPY streams of a fixed number of rows each. */
  record Export(String table, String columns, List<byte[]> batches, long rows) {}

  /** One write-back: its rate and the time each batch's COPY took, in microseconds. */
  record Replay(long rows, double rate, Histogram batchMicros) {}

  private RawCopy() {}

  static Result measure(String jdbcUrl, String table, int batchRows, int writers) throws Exception {
    Replay replay = replay(jdbcUrl, export(jdbcUrl, table, batchRows), writers);
    return new Result(replay.rows(), replay.rate());
  }

  /** The table's rows without its identity columns, which are generated on insert as for ingest. */
  static Export export(String jdbcUrl, String table, int batchRows) throws Exception {
    String columns;
    // through a file: a few million rows' stream exceeds the 2 GB a byte array can hold
    Path file = Files.createTempFile("glust-raw-copy", ".bin");
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM"
                  + " information_schema.columns WHERE table_name = '"
                  + table
                  + "' AND is_identity = 'NO'")) {
        rs.next();
        columns = rs.getString(1);
      }
      copy(c)
          .copyOut(
              "COPY (SELECT " + columns + " FROM " + table + ") TO STDOUT (FORMAT binary)", out);
    }
    List<byte[]> batches;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      batches = split(in, batchRows);
    } finally {
      Files.delete(file);
    }
    long rows =
        (long) (batches.size() - 1) * batchRows + countRows(batches.get(batches.size() - 1));
    return new Export(table, columns, batches, rows);
  }

  /**
   * Empties the table, checkpoints (so that no earlier write's flush falls into the timing), and
   * writes the exported batches back by {@code writers} parallel connections.
   */
  static Replay replay(String jdbcUrl, Export export, int writers) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + export.table());
      s.execute("CHECKPOINT");
    }
    String sql =
        "COPY " + export.table() + " (" + export.columns() + ") FROM STDIN (FORMAT binary)";
    Recorder batchMicros = new Recorder(3);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (byte[] batch : export.batches()) {
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                    asTheBenchmarksTenant(c);
                    long begin = System.nanoTime();
                    copy(c).copyIn(sql, new java.io.ByteArrayInputStream(batch));
                    batchMicros.recordValue(Math.max(1, (System.nanoTime() - begin) / 1000));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Replay(export.rows(), export.rows() / seconds, batchMicros.getIntervalHistogram());
  }

  /**
   * The benchmark sends as the default tenant (id 1), whose rows the partitions' tenant constraint
   * (migration V9) takes only in a session of that tenant, the superuser's included.
   */
  private static void asTheBenchmarksTenant(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT set_config('glust.tenant_id', '1', false)");
    }
  }

  private static CopyManager copy(Connection c) throws Exception {
    return c.unwrap(PGConnection.class).getCopyAPI();
  }

  /** Cuts one binary COPY stream into streams of {@code batchRows} rows each. */
  private static List<byte[]> split(InputStream stream, int batchRows) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    in.skipNBytes(11 + 4);
    in.skipNBytes(in.readInt()); // header extension
    List<byte[]> batches = new ArrayList<>();
    ByteArrayOutputStream current = null;
    DataOutputStream out = null;
    int rows = 0;
    while (true) {
      short fields = in.readShort();
      if (fields == -1) {
        break;
      }
      if (current == null) {
        current = new ByteArrayOutputStream();
        current.write(HEADER);
        out = new DataOutputStream(current);
      }
      out.writeShort(fields);
      for (int f = 0; f < fields; f++) {
        int length = in.readInt();
        out.writeInt(length);
        if (length > 0) {
          out.write(in.readNBytes(length));
        }
      }
      if (++rows == batchRows) {
        out.writeShort(-1);
        batches.add(current.toByteArray());
        current = null;
        rows = 0;
      }
    }
    if (current != null) {
      out.writeShort(-1);
      batches.add(current.toByteArray());
    }
    return batches;
  }

  private static int countRows(byte[] batch) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(batch));
    in.skipNBytes(HEADER.length);
    int rows = 0;
    for (short fields = in.readShort(); fields != -1; fields = in.readShort()) {
      for (int f = 0; f < fields; f++) {
        int length = in.readInt();
        if (length > 0) {
          in.skipNBytes(length);
        }
      }
      rows++;
    }
    return rows;
  }
}
