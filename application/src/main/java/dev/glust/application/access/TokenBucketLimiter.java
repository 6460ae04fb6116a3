package dev.glust.application.access;

import dev.glust.application.port.in.RateLimitStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code ratePerSecond}.
 * Buckets live in a bounded least-recently-used map, so idle clients are forgotten first; a
 * forgotten client starts again with a full bucket, which is never stricter than keeping it.
 */
public final class TokenBucketLimiter {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }

  /**
   * @param maxClients buckets kept at most; the least recently used is dropped beyond it
   * @param nanoClock {@link System#nanoTime} outside tests
   */
  public TokenBucketLimiter(
      double ratePerSecond, int burst, int maxClients, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0) || burst < 1 || maxClients < 1) {
      throw new IllegalArgumentException("rate limit needs a positive rate, burst and client cap");
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Takes one token from the client's bucket if it has one. */
  public RateLimitStatus acquire(String client) {
    long now = nanoClock.getAsLong();
    double tokens;
    boolean taken;
    synchronized (buckets) {
      Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
      bucket.tokens =
          Math.min(
              burst,
              bucket.tokens + (now - bucket.updatedNanos) * ratePerSecond / NANOS_PER_SECOND);
      bucket.updatedNanos = now;
      taken = bucket.tokens >= 1;
      if (taken) {
        bucket.tokens -= 1;
      }
      tokens = bucket.tokens;
    }
    long resetSeconds = secondsUntil(burst - tokens);
    long retryAfter = taken ? 0 : Math.max(1, secondsUntil(1 - tokens));
    return new RateLimitStatus(burst, (long) Math.floor(tokens), resetSeconds, retryAfter);
  }

  /** Whole seconds (rounded up) until {@code missing} tokens have been refilled. */
  private long secondsUntil(double missing) {
    return missing <= 0 ? 0 : (long) Math.ceil(missing / ratePerSecond);
  }

  int trackedClients() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
