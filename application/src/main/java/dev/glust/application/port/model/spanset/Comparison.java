package dev.glust.application.port.model.spanset;

/** How a field is compared with a value. */
public enum Comparison {
  EQUAL("="),
  NOT_EQUAL("!="),
  GREATER(">"),
  GREATER_OR_EQUAL(">="),
  LESS("<"),
  LESS_OR_EQUAL("<="),
  MATCHES("=~"),
  NOT_MATCHES("!~");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean isOrdering() {
    return this == GREATER || this == GREATER_OR_EQUAL || this == LESS || this == LESS_OR_EQUAL;
  }

  public boolean isRegex() {
    return this == MATCHES || this == NOT_MATCHES;
  }

  /** The outcome of an ordering or equality test, given {@code compare(field, value)}. */
  public boolean holds(int compared) {
    return switch (this) {
      case EQUAL -> compared == 0;
      case NOT_EQUAL -> compared != 0;
      case GREATER -> compared > 0;
      case GREATER_OR_EQUAL -> compared >= 0;
      case LESS -> compared < 0;
      case LESS_OR_EQUAL -> compared <= 0;
      case MATCHES, NOT_MATCHES -> throw new IllegalStateException("a regex is not an ordering");
    };
  }
}
