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

    void add(OperationRollup rollup) {
      calls += rollup.calls();
      errors += rollup.errors();
      durations.add(rollup.durations());
    }
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

  /**
   * Adds spans counted already, as a rollup (of a batch, or stored): rollups of one minute and
   * operation add up to one.
   */
  public void add(OperationRollup rollup) {
    tallies
        .computeIfAbsent(new MinuteKey(rollup.minuteUnixNano(), rollup.key()), k -> new Tally())
        .add(rollup);
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
