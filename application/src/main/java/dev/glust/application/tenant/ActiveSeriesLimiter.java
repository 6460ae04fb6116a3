package dev.glust.application.tenant;

import dev.glust.application.access.LeastRecentlyUsed;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.SeriesFingerprint;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Holds each tenant to its most active metric series: a series is active while it received a point
 * within the last {@link #ACTIVE_WINDOW}. Points of a series already active are always taken;
 * points that would make a new series beyond the tenant's cap are refused.
 *
 * <p>Memory is bounded: only tenants with a cap are tracked, each keeps at most its cap of series
 * (a 64-bit {@link SeriesFingerprint} and a time: about 100 bytes each), and at most {@code
 * maxTenants} tenants are kept (least recently used first forgotten; a forgotten tenant starts
 * again at 0). The count is this process's: several processes receiving OTLP each count what they
 * received, as Mimir's ingesters do.
 */
public final class ActiveSeriesLimiter {
  public static final Duration ACTIVE_WINDOW = Duration.ofHours(1);
  public static final String LIMIT = "max_active_series";

  private final Supplier<TenantPolicies> policies;
  private final LongSupplier nanoClock;
  private final TenantLimitObserver observer;
  private final Map<TenantId, Map<Long, Long>> lastSeenByTenant;

  /** The points of a request a tenant may store, and what was refused. */
  public record Admitted(List<MetricPoint> points, int refused, String reason) {}

  public ActiveSeriesLimiter(
      Supplier<TenantPolicies> policies,
      int maxTenants,
      LongSupplier nanoClock,
      TenantLimitObserver observer) {
    this.policies = Objects.requireNonNull(policies);
    this.nanoClock = Objects.requireNonNull(nanoClock);
    this.observer = Objects.requireNonNull(observer);
    this.lastSeenByTenant = new LeastRecentlyUsed<>(maxTenants);
  }

  public Admitted admit(TenantId tenant, List<MetricPoint> points) {
    long cap = policies.get().of(tenant).maxActiveSeries();
    if (cap == 0) {
      synchronized (lastSeenByTenant) {
        lastSeenByTenant.remove(tenant); // a lifted cap frees its memory
      }
      return new Admitted(points, 0, "");
    }
    long[] fingerprints = new long[points.size()]; // the costly part, outside the lock
    for (int i = 0; i < fingerprints.length; i++) {
      fingerprints[i] = SeriesFingerprint.of(points.get(i));
    }
    long now = nanoClock.getAsLong();
    List<MetricPoint> kept = new ArrayList<>(points.size());
    int refused = 0;
    synchronized (lastSeenByTenant) {
      Map<Long, Long> lastSeen =
          lastSeenByTenant.computeIfAbsent(tenant, t -> new LeastRecentlyUsed<>(Integer.MAX_VALUE));
      forgetIdle(lastSeen, now);
      for (int i = 0; i < fingerprints.length; i++) {
        Long series = fingerprints[i];
        if (lastSeen.containsKey(series) || lastSeen.size() < cap) {
          lastSeen.put(series, now); // moves it to the most recent end
          kept.add(points.get(i));
        } else {
          refused++;
        }
      }
    }
    if (refused == 0) {
      return new Admitted(kept, 0, "");
    }
    observer.limited(tenant, "metrics", LIMIT, refused);
    return new Admitted(
        kept,
        refused,
        refused
            + " data point"
            + (refused == 1 ? "" : "s")
            + " refused: new series beyond tenant "
            + tenant
            + "'s "
            + LIMIT
            + " ("
            + cap
            + " series active in the last hour)");
  }

  /** Drops series idle for longer than the window: they are the least recent ones, first. */
  private static void forgetIdle(Map<Long, Long> lastSeen, long now) {
    long oldest = now - ACTIVE_WINDOW.toNanos();
    Iterator<Long> times = lastSeen.values().iterator();
    while (times.hasNext() && times.next() - oldest < 0) {
      times.remove();
    }
  }

  /** Series of the tenant active now. */
  public int activeSeries(TenantId tenant) {
    long now = nanoClock.getAsLong();
    synchronized (lastSeenByTenant) {
      Map<Long, Long> lastSeen = lastSeenByTenant.get(tenant);
      if (lastSeen == null) {
        return 0;
      }
      forgetIdle(lastSeen, now);
      return lastSeen.size();
    }
  }
}
