package dev.glust.adapter.query.prometheus;

/**
 * A query Glust cannot answer as asked: a PromQL parse error, a construct outside the supported
 * subset (named), or a parameter out of bounds. Answered with HTTP 400 and Prometheus' {@code
 * bad_data} error, never with an empty result that would read as "no data".
 */
final class PromQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PromQueryException(String message) {
    super(message);
  }

  /** A parse error at a character position (0-based) of the query text. */
  static PromQueryException at(int position, String message) {
    return new PromQueryException("parse error at char " + (position + 1) + ": " + message);
  }

  static PromQueryException unsupported(int position, String construct) {
    return at(position, construct + " is not supported by Glust's PromQL subset");
  }
}
