package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.AggregationOp;
import dev.glust.adapter.query.loki.LogQl.Arithmetic;
import dev.glust.adapter.query.loki.LogQl.DropStage;
import dev.glust.adapter.query.loki.LogQl.Grouping;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.MetricExpr;
import dev.glust.adapter.query.loki.LogQl.NumberLiteral;
import dev.glust.adapter.query.loki.LogQl.RangeAggregation;
import dev.glust.adapter.query.loki.LogQl.RangeFunction;
import dev.glust.adapter.query.loki.LogQl.Stage;
import dev.glust.adapter.query.loki.LogQl.VectorAggregation;
import dev.glust.adapter.query.loki.LogQl.VectorLiteral;
import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates a metric query at the steps {@code start, start + step, …, end}: range functions count
 * the entries (or their bytes) in {@code (t - range, t]}, as Loki does, then aggregations and
 * arithmetic combine the series step by step.
 */
final class MetricEvaluator {
  private static final long MILLISECOND = 1_000_000L;
  private static final Set<String> VOLUME_GROUPS = Set.of(LokiEntries.LEVEL, "detected_level");

  /** The matchers the log search applies exactly (level: its counts are per level). */
  private static final Set<String> VOLUME_MATCHERS =
      Set.of(
          LokiEntries.SERVICE_NAME, LokiEntries.LEVEL, LokiEntries.TRACE_ID, LokiEntries.SPAN_ID);

  private static final Comparator<SortedMap<String, String>> LABELS_ORDER =
      Comparator.comparing(Object::toString);

  /** Loki's own ceiling on points per series. */
  static final int MAX_STEPS = 11_000;

  private final LogScan scan;
  private final ReadLogVolumeQuery volumes;
  private final TenantId tenant;
  private final long start;
  private final long step;
  private final int steps;
  private final QueryStats stats;

  MetricEvaluator(
      LogScan scan,
      ReadLogVolumeQuery volumes,
      TenantId tenant,
      long start,
      long end,
      long step,
      QueryStats stats) {
    if (end < start) {
      throw new LogQlException("invalid parameters: the end is before the start");
    }
    if (step <= 0) {
      throw new LogQlException("invalid parameter \"step\": must be positive");
    }
    long count = (end - start) / step + 1;
    if (count > MAX_STEPS) {
      throw new LogQlException(
          "exceeded maximum resolution of "
              + MAX_STEPS
              + " points per time series. Try increasing the value of the step parameter");
    }
    this.scan = scan;
    this.volumes = volumes;
    this.tenant = tenant;
    this.start = start;
    this.step = step;
    this.steps = (int) count;
    this.stats = stats;
  }

  /** A value of a metric query: the same number at every step, or labelled series. */
  sealed interface Value permits Scalar, Vectors {}

  record Scalar(double value) implements Value {}

  record Vectors(List<Series> series) implements Value {}

  /** One series; {@code values[i]} is NaN where step {@code i} has no sample. */
  record Series(SortedMap<String, String> labels, double[] values) {}

  long stepTime(int index) {
    return start + index * step;
  }

  int steps() {
    return steps;
  }

  Value evaluate(MetricExpr expr) {
    if (expr instanceof NumberLiteral n) {
      return new Scalar(n.value());
    }
    if (expr instanceof VectorLiteral v) {
      double[] values = new double[steps];
      Arrays.fill(values, v.value());
      return new Vectors(List.of(new Series(new TreeMap<>(), values)));
    }
    if (expr instanceof RangeAggregation r) {
      return range(r);
    }
    if (expr instanceof VectorAggregation a) {
      Optional<Vectors> counted = countedInStorage(a);
      if (counted.isPresent()) {
        return counted.get();
      }
      Vectors inner = vectors(evaluate(a.inner()), a.op().token);
      return a.op() == AggregationOp.TOPK || a.op() == AggregationOp.BOTTOMK
          ? top(a, inner)
          : aggregate(a.op(), a.grouping(), inner);
    }
    Arithmetic arithmetic = (Arithmetic) expr;
    return arithmetic(arithmetic, evaluate(arithmetic.left()), evaluate(arithmetic.right()));
  }

  private static Vectors vectors(Value value, String function) {
    if (value instanceof Vectors v) {
      return v;
    }
    throw new LogQlException(function + " expects a vector, not a scalar");
  }

  private Vectors range(RangeAggregation r) {
    long from = Math.max(0, start - r.rangeNanos() + 1);
    long to = stepTime(steps - 1);
    Map<SortedMap<String, String>, Samples> bySeries = new HashMap<>();
    LogScan.Figures figures =
        scan.scan(
            tenant,
            r.log(),
            new TimeRange(from, Math.max(from, to)),
            passed -> {
              bySeries
                  .computeIfAbsent(passed.seriesLabels(), k -> new Samples())
                  .add(passed.entry().timeUnixNano(), passed.entry().bytes());
              return true;
            });
    stats.add(figures);
    List<Series> out = new ArrayList<>();
    bySeries.forEach(
        (labels, samples) -> {
          double[] values = samples.window(r, this);
          if (Arrays.stream(values).anyMatch(v -> !Double.isNaN(v))) {
            out.add(new Series(labels, values));
          }
        });
    out.sort(Comparator.comparing(s -> s.labels().toString()));
    return new Vectors(out);
  }

  /**
   * Grafana's log volume, {@code sum by (level) (count_over_time({service_name="…"}[step]))}, and
   * its kin are counted by the storage per slice and level ({@link ReadLogVolumeQuery}) instead of
   * read line by line: no cap, one aggregate query. Only when the storage can answer exactly:
   * {@code sum} by nothing or {@code level}, of {@code count_over_time} or {@code rate} whose range
   * is the step (windows that tile the range) or of an instant, a selector of equalities on what
   * the search filters by exactly, and no stage but {@code drop}.
   */
  private Optional<Vectors> countedInStorage(VectorAggregation a) {
    if (a.op() != AggregationOp.SUM
        || a.grouping().without()
        || !VOLUME_GROUPS.containsAll(a.grouping().labels())
        || !(a.inner() instanceof RangeAggregation r)
        || !(r.function() == RangeFunction.COUNT_OVER_TIME || r.function() == RangeFunction.RATE)
        || r.rangeNanos() % MILLISECOND != 0
        || (steps > 1 && r.rangeNanos() != step)
        || steps > LogVolumeSearch.MAX_BUCKETS
        || start - r.rangeNanos() + 1 < 0) {
      return Optional.empty();
    }
    String level = null;
    for (Matcher m : r.log().selector()) {
      if (m.op() != MatchOp.EQUAL || !VOLUME_MATCHERS.contains(m.name())) {
        return Optional.empty();
      }
      if (m.name().equals(LokiEntries.LEVEL)) {
        level = m.value();
      }
    }
    for (Stage stage : r.log().stages()) {
      if (!(stage instanceof DropStage drop) || drop.labels().contains(LokiEntries.LEVEL)) {
        return Optional.empty();
      }
    }
    TimeRange range = new TimeRange(start - r.rangeNanos() + 1, stepTime(steps - 1));
    LogSearch filter = LogScan.pushedDown(r.log(), range, PageRequest.first(1));
    if (filter == null) {
      return Optional.of(new Vectors(List.of())); // an equality nothing can satisfy
    }
    LogVolumeSearch search = new LogVolumeSearch(filter, steps);
    if (search.bucketNanos() != r.rangeNanos() || search.bucketCount() != steps) {
      return Optional.empty(); // slices would not be Loki's windows
    }
    LogVolume volume = volumes.readLogVolume(tenant, search);
    boolean byLevel = a.grouping().labels().contains(LokiEntries.LEVEL);
    double seconds = r.function() == RangeFunction.RATE ? r.rangeNanos() / 1e9 : 1;
    Map<SortedMap<String, String>, double[]> series = new TreeMap<>(LABELS_ORDER);
    long counted = 0;
    for (int i = 0; i < steps; i++) {
      for (Map.Entry<SeverityLevel, Long> c : volume.buckets().get(i).counts().entrySet()) {
        String name = LokiEntries.level(c.getKey());
        if (c.getValue() == 0 || (level != null && !level.equals(name))) {
          continue;
        }
        counted += c.getValue();
        SortedMap<String, String> labels = new TreeMap<>();
        if (byLevel) {
          labels.put(LokiEntries.LEVEL, name);
        }
        double[] values = series.computeIfAbsent(labels, k -> nanArray());
        values[i] = (Double.isNaN(values[i]) ? 0 : values[i]) + c.getValue() / seconds;
      }
    }
    stats.add(new LogScan.Figures(counted, 0, false));
    List<Series> out = new ArrayList<>();
    series.forEach((labels, values) -> out.add(new Series(labels, values)));
    return Optional.of(new Vectors(out));
  }

  /** One series' entries, newest first as scanned. */
  private static final class Samples {
    private long[] times = new long[16];
    private long[] bytes = new long[16];
    private int size;

    void add(long time, long size) {
      if (this.size == times.length) {
        times = Arrays.copyOf(times, this.size * 2);
        bytes = Arrays.copyOf(bytes, this.size * 2);
      }
      times[this.size] = time;
      bytes[this.size] = size;
      this.size++;
    }

    double[] window(RangeAggregation r, MetricEvaluator grid) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingLong(i -> times[i]));
      long[] sortedTimes = new long[size];
      long[] prefixBytes = new long[size + 1];
      for (int i = 0; i < size; i++) {
        sortedTimes[i] = times[order[i]];
        prefixBytes[i + 1] = prefixBytes[i] + bytes[order[i]];
      }
      double seconds = r.rangeNanos() / 1e9;
      double[] values = new double[grid.steps];
      int low = 0;
      int high = 0;
      for (int s = 0; s < grid.steps; s++) {
        long t = grid.stepTime(s);
        while (high < size && sortedTimes[high] <= t) {
          high++;
        }
        while (low < high && sortedTimes[low] <= t - r.rangeNanos()) {
          low++;
        }
        long count = high - low;
        long sum = prefixBytes[high] - prefixBytes[low];
        values[s] =
            count == 0
                ? Double.NaN
                : switch (r.function()) {
                  case COUNT_OVER_TIME -> count;
                  case RATE -> count / seconds;
                  case BYTES_OVER_TIME -> sum;
                  case BYTES_RATE -> sum / seconds;
                };
      }
      return values;
    }
  }

  private Vectors aggregate(AggregationOp op, Grouping grouping, Vectors inner) {
    Map<SortedMap<String, String>, List<Series>> groups = new LinkedHashMap<>();
    for (Series s : inner.series()) {
      groups.computeIfAbsent(groupKey(grouping, s.labels()), k -> new ArrayList<>()).add(s);
    }
    List<Series> out = new ArrayList<>();
    groups.forEach(
        (labels, members) -> {
          double[] values = new double[steps];
          for (int i = 0; i < steps; i++) {
            values[i] = combine(op, members, i);
          }
          out.add(new Series(labels, values));
        });
    out.sort(Comparator.comparing(s -> s.labels().toString()));
    return new Vectors(out);
  }

  private static double combine(AggregationOp op, List<Series> members, int step) {
    double result = Double.NaN;
    int count = 0;
    for (Series s : members) {
      double v = s.values()[step];
      if (Double.isNaN(v)) {
        continue;
      }
      count++;
      result =
          count == 1
              ? v
              : switch (op) {
                case SUM, AVG -> result + v;
                case MIN -> Math.min(result, v);
                case MAX -> Math.max(result, v);
                default -> result;
              };
    }
    if (count == 0) {
      return Double.NaN;
    }
    return switch (op) {
      case AVG -> result / count;
      case COUNT -> count;
      default -> result;
    };
  }

  private static SortedMap<String, String> groupKey(
      Grouping grouping, SortedMap<String, String> labels) {
    SortedMap<String, String> key = new TreeMap<>();
    if (grouping.without()) {
      key.putAll(labels);
      key.keySet().removeAll(grouping.labels());
    } else {
      for (String name : grouping.labels()) {
        String value = labels.get(name);
        if (value != null && !value.isEmpty()) {
          key.put(name, value);
        }
      }
    }
    return key;
  }

  /** topk / bottomk: per step and group, the k largest (smallest) samples keep their labels. */
  private Vectors top(VectorAggregation a, Vectors inner) {
    boolean largest = a.op() == AggregationOp.TOPK;
    Map<SortedMap<String, String>, List<Series>> groups = new LinkedHashMap<>();
    for (Series s : inner.series()) {
      groups.computeIfAbsent(groupKey(a.grouping(), s.labels()), k -> new ArrayList<>()).add(s);
    }
    Map<Series, double[]> kept = new LinkedHashMap<>();
    for (List<Series> members : groups.values()) {
      for (int i = 0; i < steps; i++) {
        int step = i;
        List<Series> present =
            new ArrayList<>(members.stream().filter(s -> !Double.isNaN(s.values()[step])).toList());
        Comparator<Series> byValue = Comparator.comparingDouble(s -> s.values()[step]);
        present.sort(largest ? byValue.reversed() : byValue);
        for (Series s : present.subList(0, Math.min(a.parameter(), present.size()))) {
          kept.computeIfAbsent(s, k -> nanArray())[step] = s.values()[step];
        }
      }
    }
    List<Series> out = new ArrayList<>();
    kept.forEach((s, values) -> out.add(new Series(s.labels(), values)));
    out.sort(Comparator.comparing(s -> s.labels().toString()));
    return new Vectors(out);
  }

  private double[] nanArray() {
    double[] values = new double[steps];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  private Value arithmetic(Arithmetic a, Value left, Value right) {
    if (left instanceof Scalar l && right instanceof Scalar r) {
      return new Scalar(a.op().apply(l.value(), r.value()));
    }
    if (left instanceof Vectors l && right instanceof Scalar r) {
      return mapValues(l, v -> a.op().apply(v, r.value()));
    }
    if (left instanceof Scalar l && right instanceof Vectors r) {
      return mapValues(r, v -> a.op().apply(l.value(), v));
    }
    Vectors l = (Vectors) left;
    Map<SortedMap<String, String>, Series> rightByLabels = new HashMap<>();
    for (Series s : ((Vectors) right).series()) {
      rightByLabels.put(s.labels(), s);
    }
    List<Series> out = new ArrayList<>();
    for (Series s : l.series()) {
      Series match = rightByLabels.get(s.labels());
      if (match == null) {
        continue;
      }
      double[] values = new double[steps];
      for (int i = 0; i < steps; i++) {
        double x = s.values()[i];
        double y = match.values()[i];
        values[i] = Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : a.op().apply(x, y);
      }
      out.add(new Series(s.labels(), values));
    }
    return new Vectors(out);
  }

  private static Vectors mapValues(Vectors vectors, java.util.function.DoubleUnaryOperator f) {
    List<Series> out = new ArrayList<>();
    for (Series s : vectors.series()) {
      double[] values = s.values().clone();
      for (int i = 0; i < values.length; i++) {
        if (!Double.isNaN(values[i])) {
          values[i] = f.applyAsDouble(values[i]);
        }
      }
      out.add(new Series(s.labels(), values));
    }
    return new Vectors(out);
  }
}
