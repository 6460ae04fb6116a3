package dev.glust.application.tenant;

/**
 * How fast one tenant may send: records (spans, log records, data points) and request bytes per
 * second, each a token bucket holding {@code burstSeconds} of its rate. A rate of 0 is no limit.
 */
public record IngestRate(double recordsPerSecond, double bytesPerSecond, double burstSeconds) {
  public static final IngestRate UNLIMITED = new IngestRate(0, 0, 1);

  public IngestRate {
    if (!(recordsPerSecond >= 0) || Double.isInfinite(recordsPerSecond)) {
      throw new IllegalArgumentException(
          "records_per_second must be 0 (no limit) or a positive number, not " + recordsPerSecond);
    }
    if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
      throw new IllegalArgumentException(
          "bytes_per_second must be 0 (no limit) or a positive size, not " + bytesPerSecond);
    }
    if (!(burstSeconds > 0) || Double.isInfinite(burstSeconds)) {
      throw new IllegalArgumentException(
          "burst_seconds must be a positive number, not " + burstSeconds);
    }
  }

  public boolean limited() {
    return recordsPerSecond > 0 || bytesPerSecond > 0;
  }
}
