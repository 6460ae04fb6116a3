package dev.glust.domain.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanDurationsCounterTest {
  private static final double[] QUANTILES = {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999};

  /** Durations of 0 … 5 s, some of them 0, in nanoseconds. */
  private static SpanDurations random(Random random, int n) {
    SpanDurations.Counter counter = new SpanDurations.Counter();
    for (int i = 0; i < n; i++) {
      counter.add(random.nextInt(10) == 0 ? 0 : (long) (Math.exp(random.nextDouble() * 22)));
    }
    return counter.durations();
  }

  @Test
  void quantilesAreThoseOfTheMergedSpanDurations() {
    Random random = new Random(20);
    for (int round = 0; round < 20; round++) {
      SpanDurations a = random(random, 1 + random.nextInt(500));
      SpanDurations b = random(random, 1 + random.nextInt(500));
      SpanDurations.Counter counts = new SpanDurations.Counter();
      counts.add(a);
      counts.add(b);
      SpanDurations merged = a.plus(b);

      assertThat(counts.count()).isEqualTo(merged.count());
      assertThat(counts.sumMillis()).isCloseTo(merged.sumMillis(), within(1e-6));
      for (double q : QUANTILES) {
        double expected = merged.quantileMillis(q);
        assertThat(counts.quantileMillis(q))
            .as("q %s of %s", q, merged)
            .isCloseTo(expected, within(Math.abs(expected) * 1e-9 + 1e-12));
      }
    }
  }

  @Test
  void removingWhatWasAddedLeavesTheRest() {
    Random random = new Random(7);
    SpanDurations kept = random(random, 300);
    SpanDurations passing = random(random, 300);
    SpanDurations.Counter window = new SpanDurations.Counter();
    SpanDurations.Counter leaving = new SpanDurations.Counter();
    leaving.add(passing);
    window.add(leaving);
    window.add(kept);
    window.remove(leaving);

    assertThat(window.count()).isEqualTo(kept.count());
    assertThat(window.quantileMillis(0.95))
        .isCloseTo(kept.quantileMillis(0.95), within(kept.quantileMillis(0.95) * 1e-9));
    window.remove(windowOf(kept));
    assertThat(window.quantileMillis(0.5)).isNaN();
  }

  private static SpanDurations.Counter windowOf(SpanDurations durations) {
    SpanDurations.Counter counts = new SpanDurations.Counter();
    counts.add(durations);
    return counts;
  }
}
