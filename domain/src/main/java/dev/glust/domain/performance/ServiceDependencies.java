package dev.glust.domain.performance;

import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The calls between services one batch of spans shows. A span whose parent span is in the batch and
 * of another service is a call from the parent's service to the span's ({@link DependencyRollup},
 * counted in the minute the child started). A span whose parent is not in the batch is a {@link
 * PendingChild}: its parent, stored before or still to come, is for storage to find. A child of a
 * span of its own service is no call (work inside the service).
 *
 * <p>One exception: a child that says its parent is <em>not</em> remote (OTLP span flags, bit "has
 * is-remote" set and "is remote" clear) has its parent in its own process, hence its own service:
 * it is not pending, so the spans that split export batches cut from their local parent cost
 * storage nothing. Children of older SDKs, which do not tell, are pending.
 */
public final class ServiceDependencies {
  /**
   * OTLP {@code SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK}: the next bit is set or clear on purpose.
   */
  static final int HAS_IS_REMOTE = 0x100;

  /** OTLP {@code SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK}: the parent came from another process. */
  static final int IS_REMOTE = 0x200;

  /**
   * A child span whose parent was not in its batch.
   *
   * @param childStartUnixNano the child's start: its call is counted in this minute, and the parent
   *     is looked for around it
   * @param error whether the child's status is ERROR
   */
  public record PendingChild(
      TraceId traceId,
      SpanId parentSpanId,
      String childService,
      long childStartUnixNano,
      boolean error) {
    public PendingChild {
      Objects.requireNonNull(traceId, "trace id");
      Objects.requireNonNull(parentSpanId, "parent span id");
      Objects.requireNonNull(childService, "child service");
    }
  }

  /**
   * What a batch shows.
   *
   * @param rollups calls whose parent and child are both in the batch, one per minute, parent and
   *     child service, sorted by them (so that writers upsert rows in one order)
   * @param pendingChildren the children whose parent is for storage to find, sorted by trace,
   *     parent and start
   */
  public record Found(List<DependencyRollup> rollups, List<PendingChild> pendingChildren) {
    public Found {
      rollups = List.copyOf(rollups);
      pendingChildren = List.copyOf(pendingChildren);
    }
  }

  private record SpanKey(TraceId traceId, SpanId spanId) {}

  private record EdgeKey(long minuteUnixNano, String parent, String child) {}

  private static final Comparator<EdgeKey> EDGE_ORDER =
      Comparator.comparingLong(EdgeKey::minuteUnixNano)
          .thenComparing(EdgeKey::parent)
          .thenComparing(EdgeKey::child);

  private static final Comparator<PendingChild> PENDING_ORDER =
      Comparator.comparingLong((PendingChild p) -> p.traceId().high())
          .thenComparingLong(p -> p.traceId().low())
          .thenComparingLong(p -> p.parentSpanId().value())
          .thenComparingLong(PendingChild::childStartUnixNano)
          .thenComparing(PendingChild::childService);

  private ServiceDependencies() {}

  /** The calls and pending children of {@code spans}, one batch as stored. */
  public static Found in(Collection<Span> spans) {
    Map<SpanKey, String> services = new HashMap<>(spans.size() * 2);
    for (Span span : spans) {
      services.putIfAbsent(new SpanKey(span.traceId(), span.spanId()), span.serviceName());
    }
    Map<EdgeKey, long[]> calls = new HashMap<>();
    List<PendingChild> pending = new ArrayList<>();
    for (Span span : spans) {
      if (span.isRoot()) {
        continue;
      }
      boolean error = span.status().code() == SpanStatus.Code.ERROR;
      String parent = services.get(new SpanKey(span.traceId(), span.parentSpanId()));
      if (parent == null) {
        if (!hasLocalParent(span)) {
          pending.add(
              new PendingChild(
                  span.traceId(),
                  span.parentSpanId(),
                  span.serviceName(),
                  span.startTimeUnixNano(),
                  error));
        }
      } else if (!parent.equals(span.serviceName())) {
        long[] tally =
            calls.computeIfAbsent(
                new EdgeKey(
                    OperationRollup.minuteOf(span.startTimeUnixNano()), parent, span.serviceName()),
                k -> new long[2]);
        tally[0]++;
        if (error) {
          tally[1]++;
        }
      }
    }
    List<DependencyRollup> rollups =
        calls.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(EDGE_ORDER))
            .map(
                e ->
                    new DependencyRollup(
                        e.getKey().minuteUnixNano(),
                        e.getKey().parent(),
                        e.getKey().child(),
                        e.getValue()[0],
                        e.getValue()[1]))
            .toList();
    pending.sort(PENDING_ORDER);
    return new Found(rollups, pending);
  }

  /** Whether the span's flags say its parent is in its own process. */
  static boolean hasLocalParent(Span span) {
    return (span.flags() & HAS_IS_REMOTE) != 0 && (span.flags() & IS_REMOTE) == 0;
  }
}
