package dev.glust.adapter.postgres;

import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Stores each batch with one binary {@code COPY} in one transaction: all rows or none, and the
 * caller returns only after the commit.
 */
final class PostgresTelemetryWriter implements SaveSpansPort, SaveLogsPort {
  private static final int COPY_BUFFER_BYTES = 256 * 1024;

  private final DataSource dataSource;
  private final PostgresMapper mapper;

  PostgresTelemetryWriter(DataSource dataSource, PostgresMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  @Override
  public void saveSpans(List<Span> spans) {
    copy("spans", PostgresMapper.SPAN_COLUMNS, spans, mapper::writeSpan);
  }

  @Override
  public void saveLogs(List<LogRecord> logs) {
    copy("logs", PostgresMapper.LOG_COLUMNS, logs, mapper::writeLog);
  }

  private interface RowWriter<T> {
    void write(T record, BinaryCopyRow row) throws IOException;
  }

  private <T> void copy(String table, String columns, List<T> records, RowWriter<T> rowWriter) {
    String sql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        PGCopyOutputStream stream =
            new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, COPY_BUFFER_BYTES);
        try (stream) {
          BinaryCopyRow row = new BinaryCopyRow(stream);
          row.header();
          for (T record : records) {
            rowWriter.write(record, row);
          }
          row.trailer();
        }
        connection.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw PostgresErrorTranslator.translate("storing " + records.size() + " " + table, e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it and the server aborts the transaction
    }
  }
}
