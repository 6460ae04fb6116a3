package dev.glust.domain.metric;

/**
 * How much a cumulative series (a sum or a histogram) grew between two of its points, with the data
 * model's reset rules: a new start time, or a monotonic count going down, means the series
 * restarted from zero and counted all of its later point since.
 */
public final class CumulativeIncrease {
  private CumulativeIncrease() {}

  /**
   * A new, different start time: the cumulative series was reset (restarted process). A start time
   * of 0 is none, and tells nothing.
   */
  public static boolean restarted(long earlierStartUnixNano, long startUnixNano) {
    return startUnixNano != earlierStartUnixNano && startUnixNano != 0 && earlierStartUnixNano != 0;
  }

  /** The growth of a cumulative sum; a non-monotonic sum may shrink without being reset. */
  public static double ofSum(
      double earlier,
      long earlierStartUnixNano,
      double later,
      long laterStartUnixNano,
      boolean monotonic) {
    boolean reset =
        restarted(earlierStartUnixNano, laterStartUnixNano) || (monotonic && later < earlier);
    return reset ? later : later - earlier;
  }

  /** The observations counted after {@code earlier}: all of {@code later}'s on a reset. */
  public static Histogram ofHistogram(
      Histogram earlier, long earlierStartUnixNano, Histogram later, long laterStartUnixNano) {
    if (restarted(earlierStartUnixNano, laterStartUnixNano)) {
      return later;
    }
    return later.increaseSince(earlier).orElse(later);
  }
}
