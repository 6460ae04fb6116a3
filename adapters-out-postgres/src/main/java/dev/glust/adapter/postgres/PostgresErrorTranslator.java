package dev.glust.adapter.postgres;

import dev.glust.application.port.out.QueryTimedOutException;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * The one place database failures become the application's error kinds, by SQLSTATE class.
 *
 * <ul>
 *   <li>The data: 22 (data exception), 23 (integrity constraint), 54 (program limit exceeded: an
 *       index row too big, too many columns, a jsonb too large) → {@link StorageRejectedException},
 *       permanent.
 *   <li>The database unreachable or busy: 08 (connection), 53 (insufficient resources), 57
 *       (operator intervention: shutdown; a statement cancelled by the query pool's {@code
 *       statement_timeout} is a {@link QueryTimedOutException}, which says so), 58 (system I/O), 40
 *       (serialization failure, deadlock), 55 (lock not available, object in use), 28 (credentials
 *       refused, e.g. rotated), 3D (database missing while it is restored), 25006 (read-only
 *       transaction: a standby after failover); the pool's timeout ({@link SQLTransientException},
 *       {@link SQLRecoverableException}) and I/O errors without a state → {@link
 *       StorageUnavailableException}, retried.
 *   <li>Anything else (42 syntax or undefined object, XX internal error, P0 raised by a function,
 *       0A not supported, a state we do not know) is a bug or a state nobody classified: neither
 *       the data's fault for sure nor an outage. It is an {@link IllegalStateException}: a reader
 *       sees a server error; the ingest pipeline writes each request of the failed batch alone, and
 *       a request that reproduces the failure alone is answered as permanent, so a bug that one
 *       request triggers neither blocks the others nor makes its client retry forever.
 * </ul>
 */
final class PostgresErrorTranslator {
  private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");
  private static final Set<String> UNAVAILABLE_CLASSES =
      Set.of("08", "53", "57", "58", "40", "55", "28", "3D");
  private static final String READ_ONLY_TRANSACTION = "25006";
  static final String QUERY_CANCELED_STATE = "57014";

  private PostgresErrorTranslator() {}

  static RuntimeException translate(String action, Exception e) {
    SQLException sql = findSqlException(e);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String message =
        action
            + " failed: "
            + (sql != null ? sql.getMessage() : e.getMessage())
            + (state.isEmpty() ? "" : " [SQLSTATE " + state + "]");
    String stateClass = state.length() >= 2 ? state.substring(0, 2) : "";
    if (DATA_CLASSES.contains(stateClass)) {
      return new StorageRejectedException(message, e);
    }
    if (state.equals(QUERY_CANCELED_STATE)) {
      return new QueryTimedOutException(message, e);
    }
    if (UNAVAILABLE_CLASSES.contains(stateClass)
        || state.equals(READ_ONLY_TRANSACTION)
        || sql instanceof SQLTransientException
        || sql instanceof SQLRecoverableException
        || (state.isEmpty() && hasIoCause(e))) {
      return new StorageUnavailableException(message, e);
    }
    return new IllegalStateException(message, e);
  }

  private static SQLException findSqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static boolean hasIoCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
