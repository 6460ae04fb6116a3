package dev.glust.domain.trace;

/** OTLP span kinds, with their wire numbers. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  public int code() {
    return ordinal();
  }

  /** An unknown number (a newer sender) reads as UNSPECIFIED rather than losing the span. */
  public static SpanKind fromCode(int code) {
    SpanKind[] all = values();
    return code >= 0 && code < all.length ? all[code] : UNSPECIFIED;
  }
}
