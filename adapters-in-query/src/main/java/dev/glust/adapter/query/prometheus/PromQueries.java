package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.Expr.Aggregate;
import dev.glust.adapter.query.prometheus.Expr.Binary;
import dev.glust.adapter.query.prometheus.Expr.Call;
import dev.glust.adapter.query.prometheus.Expr.MatrixSelector;
import dev.glust.adapter.query.prometheus.Expr.Negation;
import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.adapter.query.prometheus.Value.Sample;
import dev.glust.adapter.query.prometheus.Value.Scalar;
import dev.glust.adapter.query.prometheus.Value.Vector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Instant, range and exemplar queries over a {@link SeriesSource}. */
final class PromQueries {
  /** As Prometheus: at most this many points per series in one range query. */
  static final long MAX_POINTS = 11_000;

  private final SeriesSource source;

  PromQueries(SeriesSource source) {
    this.source = source;
  }

  Value instant(String query, long time) {
    Expr expr = PromParser.parse(query);
    return new PromEvaluator(source, time, time).eval(expr, time);
  }

  /** The series of a range query with a sample per step where they have a value; by labels. */
  List<PromSeries> range(String query, long start, long end, long step) {
    Expr expr = PromParser.parse(query);
    if (expr.type() != Expr.Type.SCALAR && expr.type() != Expr.Type.VECTOR) {
      throw new PromQueryException(
          "invalid expression type \""
              + PromParser.typeName(expr.type())
              + "\" for range query, must be Scalar or instant Vector");
    }
    checkRange(start, end, step);
    PromEvaluator evaluator = new PromEvaluator(source, start, end);
    Map<Labels, PromSeries.Builder> out = new LinkedHashMap<>();
    for (long t = start; t <= end; t += step) {
      Value v = evaluator.eval(expr, t);
      if (v instanceof Scalar s) {
        out.computeIfAbsent(Labels.EMPTY, PromSeries.Builder::new).add(t, s.value());
      } else {
        Set<Labels> seen = new HashSet<>();
        for (Sample s : ((Vector) v).samples()) {
          if (!seen.add(s.labels())) {
            throw new PromQueryException(
                "vector cannot contain metrics with the same labelset " + s.labels().map());
          }
          out.computeIfAbsent(s.labels(), PromSeries.Builder::new).add(t, s.value());
        }
      }
      if (end - t < step) {
        break; // no overflow past the end
      }
    }
    List<PromSeries> series = new ArrayList<>();
    out.values().forEach(b -> series.add(b.build()));
    series.sort(Comparator.comparing(s -> s.labels().map().toString()));
    return series;
  }

  static void checkRange(long start, long end, long step) {
    if (step <= 0) {
      throw new PromQueryException(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (end < start) {
      throw new PromQueryException("end timestamp must not be before start time");
    }
    long span = PromEvaluator.saturatingSub(end, start);
    if (span == Long.MAX_VALUE || span / step + 1 > MAX_POINTS) {
      throw new PromQueryException(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
  }

  /** The exemplars in {@code [start, end]} of the series the query's selectors select. */
  Map<Labels, List<PromSeries.Exemplar>> exemplars(String query, long start, long end) {
    Expr expr = PromParser.parse(query);
    if (end < start) {
      throw new PromQueryException("end timestamp must not be before start time");
    }
    List<VectorSelector> selectors = new ArrayList<>();
    collectSelectors(expr, selectors);
    Map<Labels, List<PromSeries.Exemplar>> out = new LinkedHashMap<>();
    for (VectorSelector selector : selectors) {
      for (PromSeries s : source.select(selector, start, end)) {
        for (PromSeries.Exemplar e : s.exemplars()) {
          if (e.timeUnixNano() >= start && e.timeUnixNano() <= end) {
            out.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(e);
          }
        }
      }
    }
    return out;
  }

  private static void collectSelectors(Expr expr, List<VectorSelector> out) {
    if (expr instanceof VectorSelector v) {
      out.add(v);
    } else if (expr instanceof MatrixSelector m) {
      out.add(m.selector());
    } else if (expr instanceof Negation n) {
      collectSelectors(n.expr(), out);
    } else if (expr instanceof Binary b) {
      collectSelectors(b.lhs(), out);
      collectSelectors(b.rhs(), out);
    } else if (expr instanceof Aggregate a) {
      collectSelectors(a.expr(), out);
    } else if (expr instanceof Call c) {
      c.args().forEach(arg -> collectSelectors(arg, out));
    }
  }

  /** The label sets of the series the {@code match[]} selectors select in a range, each once. */
  List<Labels> matching(List<String> matches, long start, long end) {
    List<VectorSelector> selectors = new ArrayList<>();
    for (String match : matches) {
      selectors.add(PromParser.parseSelector(match));
    }
    Set<Labels> out = new java.util.LinkedHashSet<>();
    for (VectorSelector selector : selectors) {
      out.addAll(source.labelSets(selector, start, end));
    }
    return new ArrayList<>(out);
  }
}
