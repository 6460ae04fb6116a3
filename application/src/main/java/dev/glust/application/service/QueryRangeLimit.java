package dev.glust.application.service;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import java.time.Duration;
import java.util.Objects;

/**
 * The longest time range one query may cover: a longer one scans (and holds a connection for) more
 * than a query should, however the statement timeout ends it.
 */
record QueryRangeLimit(Duration max) {
  /** A month and a day: the web explorer's longest preset ("last 30 days") fits. */
  static final Duration DEFAULT_MAX = Duration.ofDays(31);

  QueryRangeLimit {
    Objects.requireNonNull(max, "max");
    if (max.isNegative() || max.isZero()) {
      throw new IllegalArgumentException("maximum query range must be positive: " + max);
    }
  }

  /** {@code range}, or an {@link InvalidQueryException} (400) when it is longer than the limit. */
  TimeRange check(TimeRange range) {
    // end >= start, so the difference read unsigned is exact even across the whole long range
    long length = range.endUnixNano() - range.startUnixNano();
    if (Long.compareUnsigned(length, max.toNanos()) > 0) {
      throw new InvalidQueryException(
          "start",
          "the time range may span at most "
              + SettingDuration.label(max)
              + " (the server's maximum query range); narrow start or end");
    }
    return range;
  }
}
