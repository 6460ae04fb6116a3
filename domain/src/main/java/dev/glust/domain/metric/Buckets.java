package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import java.util.List;

/**
 * One side (positive or negative) of an exponential histogram: {@code counts[i]} counts the values
 * in bucket {@code offset + i}.
 */
public record Buckets(int offset, List<Long> counts) {
  public static final Buckets EMPTY = new Buckets(0, List.of());

  public Buckets {
    counts = List.copyOf(counts);
    Counts.requireNotNegative(counts, "bucket counts");
    if ((long) offset + counts.size() > Integer.MAX_VALUE) {
      throw new InvalidTelemetryException(
          "exponential histogram buckets reach beyond the last bucket index");
    }
  }

  long total() {
    return Counts.sum(counts, "bucket counts");
  }
}
