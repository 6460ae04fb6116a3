package dev.glust.domain.common;

/**
 * Arithmetic for the counts of dropped attributes, events and links. OTLP sends them as uint32;
 * Glust holds them in an int (a PostgreSQL INTEGER column), so a count saturates at {@link
 * Integer#MAX_VALUE} instead of wrapping negative: "more than two billion dropped" says all a
 * reader needs, and a sender's large but valid count never costs its record.
 */
public final class DroppedCounts {
  private DroppedCounts() {}

  /** An OTLP uint32 count held in a Java int (above 2^31 - 1 it reads negative), saturated. */
  public static int fromUnsigned(int uint32) {
    return saturated(Integer.toUnsignedLong(uint32));
  }

  /** {@code count + more}, saturated. */
  public static int add(int count, long more) {
    return saturated(count + more);
  }

  private static int saturated(long count) {
    return (int) Math.min(count, Integer.MAX_VALUE);
  }
}
