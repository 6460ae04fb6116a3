package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.MetricEvaluator.Scalar;
import dev.glust.adapter.query.loki.MetricEvaluator.Series;
import dev.glust.adapter.query.loki.MetricEvaluator.Value;
import dev.glust.adapter.query.loki.MetricEvaluator.Vectors;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** Loki's JSON shapes, as Grafana's Loki data source reads them. */
final class LokiJson {
  static final String CATEGORIZE_LABELS = "categorize-labels";

  private LokiJson() {}

  /** {@code {"status":"success","data":…}} plus {@code warnings} when there are any. */
  static Map<String, Object> success(Object data, List<String> warnings) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "success");
    out.put("data", data);
    if (!warnings.isEmpty()) {
      out.put("warnings", warnings);
    }
    return out;
  }

  /** Loki's error body: Grafana shows {@code message}. */
  static Map<String, Object> error(int code, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", code);
    out.put("status", "error");
    out.put("message", message);
    return out;
  }

  /**
   * A streams result. With {@code categorize}, each value is {@code [ts, line, {structuredMetadata,
   * parsed}]} and the stream holds the indexed labels only; without, values are pairs and parsed
   * labels join the stream (structured metadata is left out: folding trace ids into stream labels
   * would make every line a stream of its own).
   */
  static Map<String, Object> streams(
      List<LogPipeline.Passed> entries, boolean categorize, QueryStats stats) {
    Map<SortedMap<String, String>, List<List<Object>>> byStream = new LinkedHashMap<>();
    for (LogPipeline.Passed p : entries) {
      SortedMap<String, String> stream = categorize ? p.stream() : p.seriesLabels();
      byStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(value(p, categorize));
    }
    List<Object> result = new ArrayList<>();
    byStream.forEach(
        (stream, values) -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("stream", stream);
          s.put("values", values);
          result.add(s);
        });
    stats.returned(entries.size());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("resultType", "streams");
    data.put("result", result);
    data.put("stats", stats.json());
    if (categorize) {
      data.put("encodingFlags", List.of(CATEGORIZE_LABELS));
    }
    return data;
  }

  static List<Object> value(LogPipeline.Passed p, boolean categorize) {
    List<Object> value = new ArrayList<>(3);
    value.add(Long.toString(p.entry().timeUnixNano()));
    value.add(p.entry().line());
    if (categorize) {
      Map<String, Object> categories = new LinkedHashMap<>();
      if (!p.metadata().isEmpty()) {
        categories.put("structuredMetadata", p.metadata());
      }
      if (!p.parsed().isEmpty()) {
        categories.put("parsed", p.parsed());
      }
      value.add(categories);
    }
    return value;
  }

  /** A range query's answer: a matrix (a scalar becomes one series without labels). */
  static Map<String, Object> matrix(Value value, MetricEvaluator grid, QueryStats stats) {
    List<Object> result = new ArrayList<>();
    for (Series s : series(value, grid)) {
      List<Object> points = new ArrayList<>();
      for (int i = 0; i < grid.steps(); i++) {
        if (!Double.isNaN(s.values()[i])) {
          points.add(List.of(seconds(grid.stepTime(i)), number(s.values()[i])));
        }
      }
      if (!points.isEmpty()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", s.labels());
        out.put("values", points);
        result.add(out);
      }
    }
    return metricData("matrix", result, stats);
  }

  /** An instant query's answer: a vector, or a scalar. */
  static Map<String, Object> instant(Value value, MetricEvaluator grid, QueryStats stats) {
    long time = grid.stepTime(0);
    if (value instanceof Scalar scalar) {
      return metricData("scalar", List.of(seconds(time), number(scalar.value())), stats);
    }
    List<Object> result = new ArrayList<>();
    for (Series s : ((Vectors) value).series()) {
      if (!Double.isNaN(s.values()[0])) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", s.labels());
        out.put("value", List.of(seconds(time), number(s.values()[0])));
        result.add(out);
      }
    }
    return metricData("vector", result, stats);
  }

  private static List<Series> series(Value value, MetricEvaluator grid) {
    if (value instanceof Vectors v) {
      return v.series();
    }
    double[] values = new double[grid.steps()];
    java.util.Arrays.fill(values, ((Scalar) value).value());
    return List.of(new Series(new java.util.TreeMap<>(), values));
  }

  private static Map<String, Object> metricData(String type, Object result, QueryStats stats) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("resultType", type);
    data.put("result", result);
    data.put("stats", stats.json());
    return data;
  }

  /** Unix seconds as a JSON number with millisecond decimals, as Loki writes sample times. */
  static BigDecimal seconds(long unixNano) {
    BigDecimal seconds =
        BigDecimal.valueOf(Math.floorDiv(unixNano, 1_000_000L), 3).stripTrailingZeros();
    return seconds.scale() < 0 ? seconds.setScale(0) : seconds; // never 1.7E+9
  }

  /** Prometheus' sample value text: {@code 2}, {@code 0.5}, {@code NaN}, {@code +Inf}. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
