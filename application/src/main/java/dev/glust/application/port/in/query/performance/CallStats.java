package dev.glust.application.port.in.query.performance;

/**
 * Calls in a span of time: how many, how many had status ERROR, how many per second, and the share
 * of them that failed (0 without calls, so a chart of error ratios stays a line).
 */
public record CallStats(long calls, long errors, double ratePerSecond, double errorRatio) {
  private static final double NANOS_PER_SECOND = 1e9;

  public CallStats {
    if (calls < 0 || errors < 0 || errors > calls) {
      throw new IllegalArgumentException("calls " + calls + ", errors " + errors);
    }
  }

  /** {@code calls} and {@code errors} counted over {@code nanos} (more than 0). */
  public static CallStats of(long calls, long errors, long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("a rate needs a positive time span: " + nanos);
    }
    return new CallStats(
        calls,
        errors,
        calls / (nanos / NANOS_PER_SECOND),
        calls == 0 ? 0 : errors / (double) calls);
  }
}
