package dev.glust.application.port.in.query.log;

import dev.glust.application.port.model.SeverityLevel;
import java.util.List;
import java.util.Map;

/**
 * Log record counts per time slice and severity level: slice {@code i} starts at {@code
 * startUnixNano + i * bucketNanos}; every slice of the range is present, empty ones too.
 */
public record LogVolume(long startUnixNano, long bucketNanos, List<Bucket> buckets) {
  public LogVolume {
    buckets = List.copyOf(buckets);
  }

  /** The counts of one slice; levels without records are absent. */
  public record Bucket(long startUnixNano, Map<SeverityLevel, Long> counts) {
    public Bucket {
      counts = Map.copyOf(counts);
    }

    public long total() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
