package dev.glust.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  private RawCopy() {}

  static Result measure(String jdbcUrl, String table, int batchRows, int writers) throws Exception {
    String columns;
    byte[] exported;
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      // identity columns are generated on insert, as they are for ingest
      try (ResultSet rs =
          s.executeQuery(
              "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM"
                  + " information_schema.columns WHERE table_name = '"
                  + table
                  + "' AND is_identity = 'NO'")) {
        rs.next();
        columns = rs.getString(1);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(c)
          .copyOut(
              "COPY (SELECT " + columns + " FROM " + table + ") TO STDOUT (FORMAT binary)", out);
      exported = out.toByteArray();
      s.execute("TRUNCATE " + table);
      s.execute("CHECKPOINT");
    }
    List<byte[]> batches = split(exported, batchRows);
    long rows =
        (long) (batches.size() - 1) * batchRows + countRows(batches.get(batches.size() - 1));
    String sql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (byte[] batch : batches) {
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                    copy(c).copyIn(sql, new java.io.ByteArrayInputStream(batch));
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
    return new Result(rows, rows / ((System.nanoTime() - start) / 1e9));
  }

  private static CopyManager copy(Connection c) throws Exception {
    return c.unwrap(PGConnection.class).getCopyAPI();
  }

  /** Cuts one binary COPY stream into streams of {@code batchRows} rows each. */
  private static List<byte[]> split(byte[] stream, int batchRows) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stream));
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
