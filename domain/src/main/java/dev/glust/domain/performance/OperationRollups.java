package dev.glust.domain.performance;

import dev.glust.domain.trace.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans added up per operation and minute of their start ({@link OperationRollup}): a late span is
 * counted in its own minute, whenever it arrives. Not thread-safe.
 */
public final class OperationRollups {
  private record MinuteKey(long minuteUnixNano, OperationKey key) {}

  private static final class Tally {
    long calls;
    long errors;
    final SpanDurations.Counter durations = new SpanDurations.Counter();
  }

  private final Map<MinuteKey, Tally> tallies = new HashMap<>();

  public static List<OperationRollup> of(Iterable<Span> spans) {
    OperationRollups rollups = new OperationRollups();
    spans.forEach(rollups::add);
    return rollups.rollups();
  }

  public void add(Span span) {
    OperationKey key = OperationKey.of(span);
    Tally tally =
        tallies.computeIfAbsent(
            new MinuteKey(OperationRollup.minuteOf(span.startTimeUnixNano()), key),
            k -> new Tally());
    tally.calls++;
    if (key.isError()) {
      tally.errors++;
    }
    tally.durations.add(span.endTimeUnixNano() - span.startTimeUnixNano());
  }

  /** What was added, one rollup per operation and minute, in no particular order. */
  public List<OperationRollup> rollups() {
    List<OperationRollup> rollups = new ArrayList<>(tallies.size());
    tallies.forEach(
        (k, t) ->
            rollups.add(
                new OperationRollup(
                    k.minuteUnixNano(), k.key(), t.calls, t.errors, t.durations.durations())));
    return rollups;
  }
}
