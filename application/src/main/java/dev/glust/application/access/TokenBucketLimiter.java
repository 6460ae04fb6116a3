package dev.glust.application.access;

import dev.glust.application.port.in.RateLimitStatus;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code ratePerSecond}.
 * Buckets live in a bounded least-recently-used map, so idle clients are forgotten first; a
 * forgotten client starts again with a full bucket, which is never stricter than keeping it.
 */
public final class TokenBucketLimiter {
  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets;

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
    this.buckets = new LeastRecentlyUsed<>(maxClients);
  }

  /** Takes one token from the client's bucket if it has one. */
  public RateLimitStatus acquire(String client) {
    long now = nanoClock.getAsLong();
    double tokens;
    long retryAfter;
    TokenBucket bucket;
    synchronized (buckets) {
      bucket = buckets.computeIfAbsent(client, c -> new TokenBucket(ratePerSecond, burst, now));
      retryAfter = bucket.take(1, now);
      tokens = bucket.tokens(now);
    }
    long resetSeconds = bucket.secondsUntil(burst - tokens);
    return new RateLimitStatus(burst, (long) Math.floor(tokens), resetSeconds, retryAfter);
  }

  int trackedClients() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
