package dev.glust.adapter.query.prometheus;

/** Prometheus durations: {@code 1y2w3d4h5m6s7ms}, units in that order (years of 365 days). */
final class PromDurations {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;
  private static final long[] UNIT_NANOS = {
    365L * 24 * 3600 * SECOND,
    7L * 24 * 3600 * SECOND,
    24L * 3600 * SECOND,
    3600 * SECOND,
    60 * SECOND,
    SECOND,
    MS
  };
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  private PromDurations() {}

  /** The duration's nanoseconds; a syntax error names {@code position}. */
  static long parse(String text, int position) {
    long total = 0;
    int pos = 0;
    int lastUnit = -1;
    while (pos < text.length()) {
      int digitsStart = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (digitsStart == pos) {
        throw PromQueryException.at(position, "bad duration \"" + text + "\"");
      }
      int unit = -1;
      for (int u = UNITS.length - 1; u >= 0; u--) {
        if (text.startsWith(UNITS[u], pos)) { // "ms" is tried before "m"
          unit = u;
          break;
        }
      }
      if (unit < 0 || unit <= lastUnit) {
        throw PromQueryException.at(position, "bad duration \"" + text + "\"");
      }
      try {
        long amount = Long.parseLong(text.substring(digitsStart, pos));
        total = Math.addExact(total, Math.multiplyExact(amount, UNIT_NANOS[unit]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw PromQueryException.at(position, "duration \"" + text + "\" is too long");
      }
      pos += UNITS[unit].length();
      lastUnit = unit;
    }
    return total;
  }
}
