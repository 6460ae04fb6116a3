package dev.glust.application.access;

/**
 * One token bucket: holds at most {@code capacity} tokens, refilled at {@code ratePerSecond}. A
 * request for more tokens than the bucket can ever hold is taken when the bucket is full, leaving
 * it in debt that the refill pays back: such a request would otherwise be refused forever, and the
 * average rate still holds. Not thread-safe: its owner serialises access.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratePerSecond;
  private final double capacity;
  private double tokens;
  private long updatedNanos;

  /** A full bucket. */
  public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
    if (!(ratePerSecond > 0) || !(capacity >= 1) || Double.isInfinite(capacity)) {
      throw new IllegalArgumentException(
          "a token bucket needs a positive rate and a capacity of at least 1");
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.tokens = capacity;
    this.updatedNanos = nowNanos;
  }

  /**
   * Takes {@code count} tokens if the bucket holds them (all of it, for more than its capacity).
   *
   * @return 0 when taken, else whole seconds (at least 1) until it would be
   */
  public long take(double count, long nowNanos) {
    long wait = waitFor(count, nowNanos);
    if (wait == 0) {
      tokens -= count;
    }
    return wait;
  }

  /**
   * Whether {@link #take} would take {@code count} tokens now, without taking them: lets an owner
   * of several buckets take from all of them or from none.
   *
   * @return 0 when it would, else whole seconds (at least 1) until it would
   */
  public long waitFor(double count, long nowNanos) {
    refill(nowNanos);
    double needed = Math.min(count, capacity);
    return tokens >= needed ? 0 : Math.max(1, secondsUntil(needed - tokens));
  }

  /** Whole tokens held now (0 while in debt). */
  public double tokens(long nowNanos) {
    refill(nowNanos);
    return Math.max(0, tokens);
  }

  public double capacity() {
    return capacity;
  }

  /** Whole seconds (rounded up) until {@code missing} tokens have been refilled. */
  public long secondsUntil(double missing) {
    return missing <= 0 ? 0 : (long) Math.ceil(missing / ratePerSecond);
  }

  private void refill(long nowNanos) {
    tokens =
        Math.min(capacity, tokens + (nowNanos - updatedNanos) * ratePerSecond / NANOS_PER_SECOND);
    updatedNanos = nowNanos;
  }
}
