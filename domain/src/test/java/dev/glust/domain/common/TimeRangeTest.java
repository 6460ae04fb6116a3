package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeRangeTest {
  @Test
  void aRangeEndsNoEarlierThanItStarts() {
    assertThat(new TimeRange(5, 5).endUnixNano()).isEqualTo(5);
    assertThatThrownBy(() -> new TimeRange(6, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLastNanosEndNow() {
    assertThat(TimeRange.lastNanos(100, 30)).isEqualTo(new TimeRange(70, 100));
  }
}
