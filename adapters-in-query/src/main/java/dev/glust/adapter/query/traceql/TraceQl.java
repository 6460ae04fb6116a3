package dev.glust.adapter.query.traceql;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.spanset.SpansetQuery;

/**
 * The TraceQL subset Glust answers (docs/traceql.md): parses a query into the application's
 * storage-neutral {@link SpansetQuery}, whose records are the syntax tree. Everything else is
 * refused with a 400 that names the construct and its column, never answered with nothing.
 */
public final class TraceQl {
  /** Longer queries are refused before they are read: nobody types more. */
  static final int MAX_LENGTH = 8192;

  private TraceQl() {}

  public static SpansetQuery parse(String query) {
    if (query.length() > MAX_LENGTH) {
      throw new InvalidQueryException("q", "longer than " + MAX_LENGTH + " characters");
    }
    return new TraceQlParser(TraceQlLexer.tokens(query)).query();
  }

  static InvalidQueryException refused(String what, int column) {
    return new InvalidQueryException("q", "unsupported " + what + " at column " + column);
  }
}
