package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.TimeRange;
import org.junit.jupiter.api.Test;

class ChartStepTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long S = 1_000_000_000L;

  @Test
  void aRoundStepGivesAboutTheWantedBuckets() {
    assertThat(ChartStep.defaultStep(new TimeRange(T0, T0 + 3600 * S), 120)).isEqualTo(30 * S);
    assertThat(ChartStep.defaultStep(new TimeRange(T0, T0 + 3601 * S), 120)).isEqualTo(30 * S);
    assertThat(ChartStep.defaultStep(new TimeRange(T0, T0 + 3 * 3600 * S), 120)).isEqualTo(120 * S);
    assertThat(ChartStep.defaultStep(new TimeRange(T0, T0 + 1000), 120)).isEqualTo(1_000_000);
    assertThat(ChartStep.defaultStep(new TimeRange(0, 3000 * 86_400 * S), 120))
        .isEqualTo(23 * 86_400 * S);
  }
}
