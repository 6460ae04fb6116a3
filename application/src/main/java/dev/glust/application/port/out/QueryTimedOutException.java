package dev.glust.application.port.out;

/**
 * Transient: a query ran longer than storage allows one query to run and was cancelled. The same
 * query may succeed when the database is less busy; a narrower one is more likely to.
 */
public class QueryTimedOutException extends StorageUnavailableException {
  public QueryTimedOutException(String message, Throwable cause) {
    super(message, cause);
  }
}
