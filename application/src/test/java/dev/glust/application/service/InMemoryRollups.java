package dev.glust.application.service;

import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadDependencyRollupsPort;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Span rollups in memory, returned as the load ports promise: by minute start, service, kind. */
final class InMemoryRollups implements LoadOperationRollupsPort, LoadDependencyRollupsPort {
  static final long MINUTE = OperationRollup.MINUTE_NANOS;
  static final long MS = 1_000_000L;

  final List<OperationRollup> operations = new ArrayList<>();
  final List<DependencyRollup> dependencies = new ArrayList<>();

  static OperationKey key(String service, String operation, SpanKind kind) {
    return new OperationKey(service, operation, kind, SpanStatus.Code.UNSET);
  }

  static OperationKey errorKey(String service, String operation, SpanKind kind) {
    return new OperationKey(service, operation, kind, SpanStatus.Code.ERROR);
  }

  /** One rollup of spans of these durations (ms); all errors when the key's status is ERROR. */
  OperationRollup add(long minute, OperationKey key, long... durationsMillis) {
    SpanDurations.Counter counter = new SpanDurations.Counter();
    for (long d : durationsMillis) {
      counter.add(d * MS);
    }
    long calls = durationsMillis.length;
    OperationRollup rollup =
        new OperationRollup(minute, key, calls, key.isError() ? calls : 0, counter.durations());
    operations.add(rollup);
    return rollup;
  }

  /** {@code count} spans of {@code millis} each. */
  OperationRollup addSame(long minute, OperationKey key, int count, long millis) {
    long[] durations = new long[count];
    Arrays.fill(durations, millis);
    return add(minute, key, durations);
  }

  void edge(long minute, String parent, String child, long calls, long errors) {
    dependencies.add(new DependencyRollup(minute, parent, child, calls, errors));
  }

  @Override
  public List<OperationRollup> loadOperationRollups(TenantId tenant, OperationRollupSearch search) {
    return operations.stream()
        .filter(r -> in(search.range(), r.minuteUnixNano()))
        .filter(r -> search.services().isEmpty() || search.services().contains(r.key().service()))
        .filter(r -> search.kinds().isEmpty() || search.kinds().contains(r.key().kind()))
        .toList();
  }

  @Override
  public List<DependencyRollup> loadDependencyRollups(TenantId tenant, TimeRange range) {
    return dependencies.stream().filter(d -> in(range, d.minuteUnixNano())).toList();
  }

  private static boolean in(TimeRange range, long minute) {
    return minute >= range.startUnixNano() && minute <= range.endUnixNano();
  }
}
