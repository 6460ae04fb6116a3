package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryRangeLimitTest {
  private static final long DAY = Duration.ofDays(1).toNanos();
  private final QueryRangeLimit week = new QueryRangeLimit(Duration.ofDays(7));

  @Test
  void aRangeUpToTheLimitPasses() {
    TimeRange seven = new TimeRange(1_000, 1_000 + 7 * DAY);
    assertThat(week.check(seven)).isEqualTo(seven);
  }

  @Test
  void aLongerRangeIsAnInvalidStart() {
    assertThatThrownBy(() -> week.check(new TimeRange(0, 7 * DAY + 1)))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("at most 7d (");
    assertThatThrownBy(() -> week.check(new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE)))
        .isInstanceOf(InvalidQueryException.class)
        .extracting(e -> ((InvalidQueryException) e).parameter())
        .isEqualTo("start");
  }

  @Test
  void theLimitIsPositive() {
    assertThatThrownBy(() -> new QueryRangeLimit(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
