package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.trace.Span;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A query over the spans of one trace (a TraceQL spanset expression), storage-neutral: spanset
 * filters, their boolean combinations, structural relations and aggregates. {@link #matches} is the
 * meaning every storage adapter answers to; an adapter may narrow candidates its own way first.
 */
public sealed interface SpansetQuery
    permits SpansetQuery.Filter,
        SpansetQuery.Both,
        SpansetQuery.Either,
        SpansetQuery.Related,
        SpansetQuery.Aggregated {

  /** The spans of the trace this query matches; none when the trace does not match. */
  List<Span> matches(TraceSpans trace);

  /** {@code { condition }}: the trace's spans that pass the condition. */
  record Filter(SpanCondition condition) implements SpansetQuery {
    public Filter {
      Objects.requireNonNull(condition, "condition");
    }

    @Override
    public List<Span> matches(TraceSpans trace) {
      return trace.candidates().stream().filter(s -> condition.test(s, trace.facts())).toList();
    }
  }

  /** {@code A && B}: both match; the spans of both. */
  record Both(SpansetQuery left, SpansetQuery right) implements SpansetQuery {
    public Both {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public List<Span> matches(TraceSpans trace) {
      List<Span> l = left.matches(trace);
      if (l.isEmpty()) {
        return List.of();
      }
      List<Span> r = right.matches(trace);
      return r.isEmpty() ? List.of() : union(l, r);
    }
  }

  /** {@code A || B}: either matches; the spans of those that do. */
  record Either(SpansetQuery left, SpansetQuery right) implements SpansetQuery {
    public Either {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public List<Span> matches(TraceSpans trace) {
      return union(left.matches(trace), right.matches(trace));
    }
  }

  /** How the right side's spans relate to the left side's. */
  enum Relation {
    /** {@code A > B}: B's spans whose parent is one of A's. */
    CHILD(">"),
    /** {@code A >> B}: B's spans with an ancestor among A's. */
    DESCENDANT(">>");

    private final String symbol;

    Relation(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** A structural relation; matches the right side's spans that stand in it. */
  record Related(SpansetQuery parents, Relation relation, SpansetQuery children)
      implements SpansetQuery {
    public Related {
      Objects.requireNonNull(parents, "parents");
      Objects.requireNonNull(relation, "relation");
      Objects.requireNonNull(children, "children");
    }

    @Override
    public List<Span> matches(TraceSpans trace) {
      List<Span> upper = parents.matches(trace);
      if (upper.isEmpty()) {
        return List.of();
      }
      Set<Span> above = new HashSet<>(upper);
      return children.matches(trace).stream().filter(s -> standsBelow(s, above, trace)).toList();
    }

    private boolean standsBelow(Span span, Set<Span> above, TraceSpans trace) {
      Set<Span> seen = new HashSet<>(); // a broken trace may loop
      Optional<Span> parent = trace.parentOf(span);
      while (parent.isPresent() && seen.add(parent.get())) {
        if (above.contains(parent.get())) {
          return true;
        }
        if (relation == Relation.CHILD) {
          return false;
        }
        parent = trace.parentOf(parent.get());
      }
      return false;
    }
  }

  /** What an aggregate computes over a trace's matched spans. */
  enum Aggregate {
    COUNT("count()"),
    AVG_DURATION("avg(duration)"),
    MIN_DURATION("min(duration)"),
    MAX_DURATION("max(duration)"),
    SUM_DURATION("sum(duration)");

    private final String text;

    Aggregate(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    /** Nanoseconds for the duration aggregates, a number for count(). */
    BigDecimal of(List<Span> spans) {
      if (this == COUNT) {
        return BigDecimal.valueOf(spans.size());
      }
      List<BigDecimal> durations =
          spans.stream()
              .map(s -> BigDecimal.valueOf(s.endTimeUnixNano() - s.startTimeUnixNano()))
              .toList();
      return switch (this) {
        case MIN_DURATION -> durations.stream().reduce(BigDecimal::min).orElseThrow();
        case MAX_DURATION -> durations.stream().reduce(BigDecimal::max).orElseThrow();
        case SUM_DURATION -> durations.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        default ->
            durations.stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(spans.size()), java.math.MathContext.DECIMAL64);
      };
    }
  }

  /**
   * {@code A | count() > 2}, {@code A | avg(duration) > 300ms}: the trace's matched spans when the
   * aggregate over them passes (a trace without matched spans has no spanset to aggregate).
   */
  record Aggregated(SpansetQuery spans, Aggregate aggregate, Comparison op, BigDecimal threshold)
      implements SpansetQuery {
    public Aggregated {
      Objects.requireNonNull(spans, "spans");
      Objects.requireNonNull(aggregate, "aggregate");
      Objects.requireNonNull(threshold, "threshold");
      if (op.isRegex()) {
        throw new InvalidQueryException(
            "q", "unsupported comparison " + aggregate.text() + " " + op.symbol());
      }
    }

    @Override
    public List<Span> matches(TraceSpans trace) {
      List<Span> matched = spans.matches(trace);
      return !matched.isEmpty() && op.holds(aggregate.of(matched).compareTo(threshold))
          ? matched
          : List.of();
    }
  }

  private static List<Span> union(List<Span> a, List<Span> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    Set<Span> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }
}
