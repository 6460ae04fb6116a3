package dev.glust.adapter.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * How spans, logs and metric points are split by time and how long they are kept.
 *
 * @param interval the time one partition covers, whole hours (default one day, UTC-aligned)
 * @param ahead how many partitions after the current one are created in advance
 * @param spansRetention how long spans are kept; {@link Duration#ZERO}: forever
 * @param logsRetention how long logs are kept; {@link Duration#ZERO}: forever
 * @param metricsRetention how long metric points are kept, and series not written to since; {@link
 *     Duration#ZERO}: forever
 * @param maintenanceEvery how often partitions are created ahead and expired ones dropped
 * @param maxNewPerBatch how many partitions of one table a batch may have created; a batch needing
 *     more is refused as bad data (creating partitions locks the whole table)
 * @param maxClockSkew how far after now a record's time may lie (the ingest rule that normalises
 *     later times); no partition is made beyond the {@code ahead} ones after now plus this
 * @param sealAfter how long after its range ends a partition of spans or logs is sealed: its
 *     indexes that serve only reads are then built (until then late records may still arrive)
 */
public record PartitionSettings(
    Duration interval,
    int ahead,
    Duration spansRetention,
    Duration logsRetention,
    Duration metricsRetention,
    Duration maintenanceEvery,
    int maxNewPerBatch,
    Duration maxClockSkew,
    Duration sealAfter) {
  /**
   * Twice a week of daily partitions: a collector's late backlog or a replay of some days needs far
   * fewer; creating them takes a few milliseconds each under the parent table's lock.
   */
  public static final int DEFAULT_MAX_NEW_PER_BATCH = 16;

  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofHours(1);

  /** Late records mostly arrive within minutes (a collector's retries, a backlog drained). */
  public static final Duration DEFAULT_SEAL_AFTER = Duration.ofHours(1);

  public static final PartitionSettings DEFAULTS =
      new PartitionSettings(
          Duration.ofDays(1),
          2,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofMinutes(10));

  /** Partitions sealed {@link #DEFAULT_SEAL_AFTER} after their range ends. */
  public PartitionSettings(
      Duration interval,
      int ahead,
      Duration spansRetention,
      Duration logsRetention,
      Duration metricsRetention,
      Duration maintenanceEvery,
      int maxNewPerBatch,
      Duration maxClockSkew) {
    this(
        interval,
        ahead,
        spansRetention,
        logsRetention,
        metricsRetention,
        maintenanceEvery,
        maxNewPerBatch,
        maxClockSkew,
        DEFAULT_SEAL_AFTER);
  }

  /** The default cap of new partitions per batch, clock skew and seal delay. */
  public PartitionSettings(
      Duration interval,
      int ahead,
      Duration spansRetention,
      Duration logsRetention,
      Duration metricsRetention,
      Duration maintenanceEvery) {
    this(
        interval,
        ahead,
        spansRetention,
        logsRetention,
        metricsRetention,
        maintenanceEvery,
        DEFAULT_MAX_NEW_PER_BATCH,
        DEFAULT_MAX_CLOCK_SKEW);
  }

  /** Metric points kept forever. */
  public PartitionSettings(
      Duration interval,
      int ahead,
      Duration spansRetention,
      Duration logsRetention,
      Duration maintenanceEvery) {
    this(interval, ahead, spansRetention, logsRetention, Duration.ZERO, maintenanceEvery);
  }

  public PartitionSettings {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()
        || interval.compareTo(Duration.ofHours(1)) < 0
        || interval.toMinutesPart() != 0
        || interval.toSecondsPart() != 0
        || interval.toNanosPart() != 0) {
      throw new IllegalArgumentException("partition interval must be whole hours: " + interval);
    }
    if (ahead < 0) {
      throw new IllegalArgumentException("partitions ahead must not be negative: " + ahead);
    }
    requireNotNegative(spansRetention, "spans retention");
    requireNotNegative(logsRetention, "logs retention");
    requireNotNegative(metricsRetention, "metrics retention");
    if (maintenanceEvery.isNegative() || maintenanceEvery.isZero()) {
      throw new IllegalArgumentException("maintenance period must be positive");
    }
    if (maxNewPerBatch < 1) {
      throw new IllegalArgumentException(
          "new partitions per batch must be at least 1: " + maxNewPerBatch);
    }
    requireNotNegative(maxClockSkew, "max clock skew");
    requireNotNegative(sealAfter, "seal after");
  }

  private static void requireNotNegative(Duration retention, String what) {
    if (Objects.requireNonNull(retention, what).isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + retention);
    }
  }

  Duration retentionOf(String table) {
    if (table.startsWith(PostgresPartitions.METRIC_POINTS_PREFIX)) {
      return metricsRetention;
    }
    return table.equals("spans") ? spansRetention : logsRetention;
  }
}
