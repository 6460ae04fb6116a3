package dev.glust.adapter.postgres;

import dev.glust.application.port.out.QueryTimedOutException;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import java.sql.SQLException;

/**
 * The one place database failures become the application's two error kinds. Only data errors
 * (SQLSTATE classes 22 and 23) are permanent; everything else (connection loss, shutdown, pool
 * timeout, lack of resources, serialization failures, unknown states) is worth retrying; a
 * statement cancelled by the query pool's {@code statement_timeout} says so.
 */
final class PostgresErrorTranslator {
  static final String QUERY_CANCELED_STATE = "57014";

  private PostgresErrorTranslator() {}

  static RuntimeException translate(String action, Exception e) {
    SQLException sql = findSqlException(e);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String message = action + " failed: " + (sql != null ? sql.getMessage() : e.getMessage());
    if (state.startsWith("22") || state.startsWith("23")) {
      return new StorageRejectedException(message, e);
    }
    if (state.equals(QUERY_CANCELED_STATE)) {
      return new QueryTimedOutException(message, e);
    }
    return new StorageUnavailableException(message, e);
  }

  private static SQLException findSqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }
}
