package dev.glust.adapter.query;

import dev.glust.domain.common.TimeRange;

/**
 * The step a chart gets when its request names none: a charting default of this API, not a rule of
 * the metric query itself.
 */
final class ChartStep {
  private ChartStep() {}

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  /** Steps people read easily; buckets on multiples of them line up with clock minutes, hours. */
  private static final long[] ROUND_STEPS = {
    MS,
    2 * MS,
    5 * MS,
    10 * MS,
    20 * MS,
    50 * MS,
    100 * MS,
    200 * MS,
    500 * MS,
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    60 * SECOND,
    120 * SECOND,
    300 * SECOND,
    600 * SECOND,
    900 * SECOND,
    1800 * SECOND,
    3600 * SECOND,
    7200 * SECOND,
    3 * 3600 * SECOND,
    6 * 3600 * SECOND,
    12 * 3600 * SECOND,
    86_400 * SECOND
  };

  /**
   * A round step (1 s, 30 s, 5 min, 1 h, whole days…) giving about {@code buckets} buckets over the
   * range; a range a little longer than a round length (a client's clock) keeps the round step.
   */
  static long defaultStep(TimeRange range, int buckets) {
    double wanted = 0.9 * (range.endUnixNano() - (double) range.startUnixNano()) / buckets;
    for (long step : ROUND_STEPS) {
      if (step >= wanted) {
        return step;
      }
    }
    long day = ROUND_STEPS[ROUND_STEPS.length - 1];
    return (long) Math.ceil(wanted / day) * day;
  }
}
