package dev.glust.application.tenant;

import dev.glust.application.access.LeastRecentlyUsed;
import dev.glust.application.access.TokenBucket;
import dev.glust.application.port.in.TenantLimitedException;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.domain.tenant.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Each tenant's ingest rate: two token buckets, records and request bytes, both charged or neither.
 * Buckets live in a bounded least-recently-used map of tenants; a tenant forgotten, or whose rate a
 * reload changed, starts again with full buckets, which is never stricter than keeping them.
 */
public final class TenantRateLimiter {
  public static final String RECORDS_LIMIT = "records_per_second";
  public static final String BYTES_LIMIT = "bytes_per_second";

  private final Supplier<TenantPolicies> policies;
  private final LongSupplier nanoClock;
  private final TenantLimitObserver observer;
  private final Map<TenantId, Buckets> buckets;

  /** A tenant's buckets and the rate they were made for; a bucket is null for no limit. */
  private record Buckets(IngestRate rate, TokenBucket records, TokenBucket bytes) {
    static Buckets of(IngestRate rate, long now) {
      return new Buckets(
          rate,
          bucket(rate.recordsPerSecond(), rate, now),
          bucket(rate.bytesPerSecond(), rate, now));
    }

    private static TokenBucket bucket(double perSecond, IngestRate rate, long now) {
      return perSecond > 0
          ? new TokenBucket(perSecond, Math.max(1, perSecond * rate.burstSeconds()), now)
          : null;
    }
  }

  /**
   * @param policies read on every request: the current ones, swapped whole on reload
   * @param maxTenants tenants whose buckets are kept at most
   * @param nanoClock {@link System#nanoTime} outside tests
   */
  public TenantRateLimiter(
      Supplier<TenantPolicies> policies,
      int maxTenants,
      LongSupplier nanoClock,
      TenantLimitObserver observer) {
    this.policies = Objects.requireNonNull(policies);
    this.nanoClock = Objects.requireNonNull(nanoClock);
    this.observer = Objects.requireNonNull(observer);
    this.buckets = new LeastRecentlyUsed<>(maxTenants);
  }

  /**
   * Charges a request of {@code records} records and {@code wireBytes} bytes to the tenant.
   *
   * @throws TenantLimitedException when either bucket cannot pay for it now; nothing is charged
   */
  public void admit(TenantId tenant, String signal, int records, long wireBytes) {
    IngestRate rate = policies.get().of(tenant).ingest();
    if (!rate.limited()) {
      return;
    }
    long now = nanoClock.getAsLong();
    long recordsWait;
    long bytesWait;
    synchronized (buckets) {
      Buckets held = buckets.get(tenant);
      if (held == null || !held.rate().equals(rate)) {
        held = Buckets.of(rate, now);
        buckets.put(tenant, held);
      }
      recordsWait = waitFor(held.records(), records, now);
      bytesWait = waitFor(held.bytes(), wireBytes, now);
      if (recordsWait == 0 && bytesWait == 0) {
        take(held.records(), records, now);
        take(held.bytes(), wireBytes, now);
        return;
      }
    }
    String limit = recordsWait > 0 ? RECORDS_LIMIT : BYTES_LIMIT;
    observer.limited(tenant, signal, limit, records);
    throw new TenantLimitedException(
        "tenant "
            + tenant
            + " is over its ingest limit ("
            + limit
            + " "
            + (int) Math.ceil(recordsWait > 0 ? rate.recordsPerSecond() : rate.bytesPerSecond())
            + "), retry later",
        Math.max(recordsWait, bytesWait));
  }

  private static long waitFor(TokenBucket bucket, double count, long now) {
    return bucket == null ? 0 : bucket.waitFor(count, now);
  }

  private static void take(TokenBucket bucket, double count, long now) {
    if (bucket != null) {
      bucket.take(count, now);
    }
  }

  int trackedTenants() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
