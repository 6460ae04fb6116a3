package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.BucketQuantile.Bucket;
import dev.glust.adapter.query.prometheus.Expr.Aggregate;
import dev.glust.adapter.query.prometheus.Expr.AggregateOp;
import dev.glust.adapter.query.prometheus.Expr.Binary;
import dev.glust.adapter.query.prometheus.Expr.BinaryOp;
import dev.glust.adapter.query.prometheus.Expr.Call;
import dev.glust.adapter.query.prometheus.Expr.MatrixSelector;
import dev.glust.adapter.query.prometheus.Expr.Negation;
import dev.glust.adapter.query.prometheus.Expr.NumberLiteral;
import dev.glust.adapter.query.prometheus.Expr.StringLiteral;
import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.adapter.query.prometheus.Value.Matrix;
import dev.glust.adapter.query.prometheus.Value.Sample;
import dev.glust.adapter.query.prometheus.Value.Scalar;
import dev.glust.adapter.query.prometheus.Value.Text;
import dev.glust.adapter.query.prometheus.Value.Vector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates a parsed expression at instants, as Prometheus' engine does: an instant selector takes
 * each series' latest sample within the 5-minute lookback, a range selector the samples in {@code
 * (t - range, t]}, both shifted back by their offset; {@code rate}, {@code increase} and {@code
 * delta} extrapolate to the range's edges like Prometheus' {@code extrapolatedRate}; arithmetic and
 * comparisons match vectors one-to-one on their labels without the metric name.
 *
 * <p>The series a selector needs for the whole evaluation range are read once, on first use.
 */
final class PromEvaluator {
  static final long LOOKBACK_NANOS = 5 * 60 * 1_000_000_000L;
  private static final double NANOS_PER_SECOND = 1e9;

  private final SeriesSource source;
  private final long firstTime;
  private final long lastTime;
  private final Map<VectorSelector, List<PromSeries>> loaded = new IdentityHashMap<>();

  /** An evaluator for instants in {@code [firstTime, lastTime]}. */
  PromEvaluator(SeriesSource source, long firstTime, long lastTime) {
    this.source = source;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
  }

  /** The series of a selector, read for the evaluation range widened by a lookback or range. */
  List<PromSeries> series(VectorSelector selector, long window) {
    return loaded.computeIfAbsent(
        selector,
        s -> {
          long to = saturatingSub(lastTime, s.offsetNanos());
          long from = saturatingSub(saturatingSub(firstTime, s.offsetNanos()), window);
          return from > to ? List.of() : source.select(s, from, to);
        });
  }

  /** {@code a - b}, held at the ends of the long range (offsets of centuries stay harmless). */
  static long saturatingSub(long a, long b) {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      return b > 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  Value eval(Expr expr, long t) {
    if (expr instanceof NumberLiteral n) {
      return new Scalar(n.value());
    } else if (expr instanceof StringLiteral s) {
      return new Text(s.value());
    } else if (expr instanceof VectorSelector v) {
      return instant(v, t);
    } else if (expr instanceof MatrixSelector m) {
      return new Matrix(range(m, t));
    } else if (expr instanceof Negation n) {
      Value v = eval(n.expr(), t);
      if (v instanceof Scalar s) {
        return new Scalar(-s.value());
      }
      return mapValues((Vector) v, x -> -x);
    } else if (expr instanceof Binary b) {
      return binary(b, t);
    } else if (expr instanceof Aggregate a) {
      return aggregate(a, t);
    } else if (expr instanceof Call c) {
      return call(c, t);
    }
    throw new IllegalStateException("unknown expression " + expr);
  }

  private Vector instant(VectorSelector selector, long t) {
    long at = saturatingSub(t, selector.offsetNanos());
    List<Sample> out = new ArrayList<>();
    for (PromSeries s : series(selector, LOOKBACK_NANOS)) {
      int i = s.lastAtOrBefore(at);
      if (i >= 0 && s.times()[i] > saturatingSub(at, LOOKBACK_NANOS)) {
        out.add(new Sample(s.labels(), s.values()[i]));
      }
    }
    return new Vector(out);
  }

  /**
   * Each series' samples in {@code (t - offset - range, t - offset]}; series without any left out.
   */
  List<PromSeries> range(MatrixSelector m, long t) {
    long end = saturatingSub(t, m.selector().offsetNanos());
    long start = saturatingSub(end, m.rangeNanos());
    List<PromSeries> out = new ArrayList<>();
    for (PromSeries s : series(m.selector(), m.rangeNanos())) {
      int to = s.lastAtOrBefore(end);
      int from = s.lastAtOrBefore(start) + 1;
      if (to >= from) {
        out.add(
            new PromSeries(
                s.labels(),
                java.util.Arrays.copyOfRange(s.times(), from, to + 1),
                java.util.Arrays.copyOfRange(s.values(), from, to + 1),
                List.of()));
      }
    }
    return out;
  }

  private static Vector mapValues(Vector v, DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : v.samples()) {
      out.add(new Sample(s.labels().withoutName(), f.applyAsDouble(s.value())));
    }
    return new Vector(out);
  }

  // ---- binary operators ----

  private Value binary(Binary b, long t) {
    Value lhs = eval(b.lhs(), t);
    Value rhs = eval(b.rhs(), t);
    BinaryOp op = b.op();
    if (lhs instanceof Scalar l && rhs instanceof Scalar r) {
      return new Scalar(op.apply(l.value(), r.value()));
    }
    if (lhs instanceof Vector l && rhs instanceof Scalar r) {
      return vectorScalar(op, l, r.value(), false, b.returnBool());
    }
    if (lhs instanceof Scalar l && rhs instanceof Vector r) {
      return vectorScalar(op, r, l.value(), true, b.returnBool());
    }
    return vectorVector(op, (Vector) lhs, (Vector) rhs, b.returnBool());
  }

  private static Vector vectorScalar(
      BinaryOp op, Vector vector, double scalar, boolean scalarFirst, boolean returnBool) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : vector.samples()) {
      double result = scalarFirst ? op.apply(scalar, s.value()) : op.apply(s.value(), scalar);
      if (op.comparison && !returnBool) {
        if (result == 1) {
          out.add(s);
        }
      } else {
        out.add(new Sample(s.labels().withoutName(), result));
      }
    }
    return new Vector(out);
  }

  private static Vector vectorVector(BinaryOp op, Vector lhs, Vector rhs, boolean returnBool) {
    Map<Labels, Sample> right = new HashMap<>();
    for (Sample s : rhs.samples()) {
      if (right.put(s.labels().withoutName(), s) != null) {
        throw new PromQueryException(
            "found duplicate series for the match group "
                + s.labels().withoutName().map()
                + " on the right hand-side of the operation: many-to-many matching not allowed");
      }
    }
    Map<Labels, Sample> matchedLeft = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample l : lhs.samples()) {
      Labels key = l.labels().withoutName();
      Sample r = right.get(key);
      if (r == null) {
        continue;
      }
      if (matchedLeft.put(key, l) != null) {
        throw new PromQueryException(
            "found duplicate series for the match group "
                + key.map()
                + " on the left hand-side of the operation: many-to-many matching not allowed");
      }
      double result = op.apply(l.value(), r.value());
      if (op.comparison && !returnBool) {
        if (result == 1) {
          out.add(l);
        }
      } else {
        out.add(new Sample(key, result));
      }
    }
    return new Vector(out);
  }

  // ---- aggregations ----

  private Vector aggregate(Aggregate a, long t) {
    Vector input = (Vector) eval(a.expr(), t);
    Map<Labels, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : input.samples()) {
      Labels key =
          a.without()
              ? s.labels().withoutName().without(a.grouping())
              : s.labels().only(a.grouping());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    if (a.op() == AggregateOp.TOPK || a.op() == AggregateOp.BOTTOMK) {
      double k = ((Scalar) eval(a.parameter().orElseThrow(), t)).value();
      if (!(k >= 1) || Double.isInfinite(k)) {
        return new Vector(out);
      }
      Comparator<Sample> order =
          Comparator.comparingDouble(
              s -> Double.isNaN(s.value()) ? Double.NEGATIVE_INFINITY : s.value());
      Comparator<Sample> ranked = a.op() == AggregateOp.TOPK ? order.reversed() : order;
      if (a.op() == AggregateOp.BOTTOMK) {
        ranked =
            Comparator.comparingDouble(
                s -> Double.isNaN(s.value()) ? Double.POSITIVE_INFINITY : s.value());
      }
      for (List<Sample> group : groups.values()) {
        group.stream().sorted(ranked).limit((long) Math.min(k, group.size())).forEach(out::add);
      }
      return new Vector(out);
    }
    groups.forEach((key, group) -> out.add(new Sample(key, aggregated(a.op(), group))));
    return new Vector(out);
  }

  private static double aggregated(AggregateOp op, List<Sample> group) {
    double result =
        switch (op) {
          case MIN -> Double.NaN;
          case MAX -> Double.NaN;
          default -> 0;
        };
    for (Sample s : group) {
      double v = s.value();
      result =
          switch (op) {
            case SUM, AVG -> result + v;
            case COUNT -> result + 1;
            case MIN -> Double.isNaN(result) || v < result ? v : result;
            case MAX -> Double.isNaN(result) || v > result ? v : result;
            default -> throw new IllegalStateException(op.name());
          };
    }
    return op == AggregateOp.AVG ? result / group.size() : result;
  }

  // ---- functions ----

  private Value call(Call c, long t) {
    return switch (c.function()) {
      case RATE -> overRange(c, t, r -> extrapolated(r, true, true));
      case INCREASE -> overRange(c, t, r -> extrapolated(r, true, false));
      case DELTA -> overRange(c, t, r -> extrapolated(r, false, false));
      case IRATE -> overRange(c, t, PromEvaluator::irate);
      case AVG_OVER_TIME -> overRange(c, t, r -> sum(r.series().values()) / r.series().size());
      case SUM_OVER_TIME -> overRange(c, t, r -> sum(r.series().values()));
      case COUNT_OVER_TIME -> overRange(c, t, r -> r.series().size());
      case MIN_OVER_TIME -> overRange(c, t, r -> extreme(r.series().values(), -1));
      case MAX_OVER_TIME -> overRange(c, t, r -> extreme(r.series().values(), 1));
      case HISTOGRAM_QUANTILE -> histogramQuantile(c, t);
      case VECTOR ->
          new Vector(
              List.of(new Sample(Labels.EMPTY, ((Scalar) eval(c.args().get(0), t)).value())));
      case SCALAR -> {
        List<Sample> samples = ((Vector) eval(c.args().get(0), t)).samples();
        yield new Scalar(samples.size() == 1 ? samples.get(0).value() : Double.NaN);
      }
      case TIME -> new Scalar(t / NANOS_PER_SECOND);
      case ABS -> mapValues((Vector) eval(c.args().get(0), t), Math::abs);
      case CEIL -> mapValues((Vector) eval(c.args().get(0), t), Math::ceil);
      case FLOOR -> mapValues((Vector) eval(c.args().get(0), t), Math::floor);
      case ROUND -> mapValues((Vector) eval(c.args().get(0), t), x -> (double) Math.round(x));
      case SQRT -> mapValues((Vector) eval(c.args().get(0), t), Math::sqrt);
    };
  }

  /** A range of one series with the window it was cut from (seconds matter to rates). */
  record Window(PromSeries series, long start, long end) {}

  private interface RangeFunction {
    /** NaN: no result for this series. */
    double apply(Window window);
  }

  private Vector overRange(Call c, long t, RangeFunction f) {
    MatrixSelector m = (MatrixSelector) c.args().get(0);
    long end = saturatingSub(t, m.selector().offsetNanos());
    int minimumSamples =
        switch (c.function()) {
          case RATE, INCREASE, DELTA, IRATE -> 2;
          default -> 1;
        };
    List<Sample> out = new ArrayList<>();
    for (PromSeries s : range(m, t)) {
      if (s.size() >= minimumSamples) {
        double v = f.apply(new Window(s, saturatingSub(end, m.rangeNanos()), end));
        if (!Double.isNaN(v) || minimumSamples == 1) {
          out.add(new Sample(s.labels().withoutName(), v));
        }
      }
    }
    return new Vector(out);
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }

  private static double extreme(double[] values, int sign) {
    double result = Double.NaN;
    for (double v : values) {
      if (Double.isNaN(result) || (sign > 0 ? v > result : v < result)) {
        result = v;
      }
    }
    return result;
  }

  /** Prometheus' extrapolatedRate; NaN when fewer than two samples. */
  static double extrapolated(Window w, boolean counter, boolean perSecond) {
    PromSeries s = w.series();
    int n = s.size();
    if (n < 2) {
      return Double.NaN;
    }
    double[] v = s.values();
    double result = v[n - 1] - v[0];
    if (counter) {
      for (int i = 1; i < n; i++) {
        if (v[i] < v[i - 1]) {
          result += v[i - 1];
        }
      }
    }
    double firstT = s.times()[0] / NANOS_PER_SECOND;
    double lastT = s.times()[n - 1] / NANOS_PER_SECOND;
    double durationToStart = firstT - w.start() / NANOS_PER_SECOND;
    double durationToEnd = w.end() / NANOS_PER_SECOND - lastT;
    double sampled = lastT - firstT;
    if (sampled <= 0) {
      return Double.NaN;
    }
    double averageBetween = sampled / (n - 1);
    double threshold = averageBetween * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = averageBetween / 2;
    }
    if (counter && result > 0 && v[0] >= 0) {
      // a counter does not extrapolate below zero
      double durationToZero = sampled * (v[0] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = averageBetween / 2;
    }
    double factor = (sampled + durationToStart + durationToEnd) / sampled;
    if (perSecond) {
      factor /= (w.end() - w.start()) / NANOS_PER_SECOND;
    }
    return result * factor;
  }

  private static double irate(Window w) {
    PromSeries s = w.series();
    int n = s.size();
    if (n < 2) {
      return Double.NaN;
    }
    double last = s.values()[n - 1];
    double previous = s.values()[n - 2];
    double seconds = (s.times()[n - 1] - s.times()[n - 2]) / NANOS_PER_SECOND;
    if (seconds <= 0) {
      return Double.NaN;
    }
    return (last < previous ? last : last - previous) / seconds;
  }

  private Vector histogramQuantile(Call c, long t) {
    double q = ((Scalar) eval(c.args().get(0), t)).value();
    Vector buckets = (Vector) eval(c.args().get(1), t);
    Map<Labels, List<Bucket>> groups = new LinkedHashMap<>();
    for (Sample s : buckets.samples()) {
      String le = s.labels().get(OtelToProm.LE);
      double bound;
      try {
        bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      } catch (NumberFormatException e) {
        continue; // as Prometheus: a sample without a readable le is ignored
      }
      groups
          .computeIfAbsent(
              s.labels().withoutName().without(List.of(OtelToProm.LE)), k -> new ArrayList<>())
          .add(new Bucket(bound, s.value()));
    }
    List<Sample> out = new ArrayList<>();
    groups.forEach(
        (labels, group) -> out.add(new Sample(labels, BucketQuantile.quantile(q, group))));
    return new Vector(out);
  }
}
