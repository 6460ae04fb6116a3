package dev.glust.adapter.query.loki;

/**
 * A query outside the LogQL subset or malformed, or a request parameter Loki would refuse: always
 * HTTP 400 in Loki's error shape, never an empty answer.
 */
final class LogQlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LogQlException(String message) {
    super(message);
  }

  /** Loki's wording, {@code parse error at line 1, col 9: …}, counted from 1 as Loki does. */
  static LogQlException at(String query, int position, String problem) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(position, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new LogQlException("parse error at line " + line + ", col " + column + ": " + problem);
  }
}
