package dev.glust.adapter.query.prometheus;

import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.metric.MetricKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry names as Prometheus' OTLP receiver translates them (its default "underscore
 * escaping with suffixes"; the table is in docs/api.md, "Prometheus API"): a metric name's runs of
 * characters outside {@code [a-zA-Z0-9:]} become one {@code _}, the unit is appended as a word
 * ({@code s} → {@code seconds}, {@code By/s} → {@code bytes_per_second}, {@code {request}} dropped)
 * unless the name has it already, monotonic sums end in {@code _total}, gauges of unit {@code 1} in
 * {@code _ratio}; histograms become {@code _bucket}, {@code _sum} and {@code _count} series.
 */
final class PromNames {
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  /** Which Prometheus series of a metric a name stands for. */
  enum Part {
    VALUE(""),
    BUCKET("_bucket"),
    SUM("_sum"),
    COUNT("_count");

    final String suffix;

    Part(String suffix) {
      this.suffix = suffix;
    }
  }

  /** A Prometheus metric name and the part of an OpenTelemetry metric it holds. */
  record Family(String name, Part part, MetricSummary metric) {}

  private PromNames() {}

  /** The Prometheus names of a stored metric: one, or three for a histogram; none for others. */
  static List<Family> families(MetricSummary metric) {
    String base = metricName(metric.name(), metric.unit(), metric.kind(), metric.monotonic());
    List<Family> out = new ArrayList<>();
    switch (metric.kind()) {
      case GAUGE, SUM -> out.add(new Family(base, Part.VALUE, metric));
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> {
        for (Part part : List.of(Part.BUCKET, Part.SUM, Part.COUNT)) {
          out.add(new Family(base + part.suffix, part, metric));
        }
      }
      case SUMMARY -> {
        // summaries are not evaluated yet (docs/api.md): no Prometheus name promises data
      }
    }
    return out;
  }

  /** Prometheus' type of a metric for the metadata endpoint. */
  static String type(MetricSummary metric) {
    return switch (metric.kind()) {
      case GAUGE -> "gauge";
      case SUM -> metric.monotonic() ? "counter" : "gauge";
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> "histogram";
      case SUMMARY -> "summary";
    };
  }

  static String metricName(String name, String unit, MetricKind kind, boolean monotonic) {
    List<String> tokens = new ArrayList<>(tokens(name));
    String[] unitParts = unit.split("/", 2);
    String main = unitWord(unitParts[0], UNITS);
    String per = unitParts.length > 1 ? unitWord(unitParts[1], PER_UNITS) : "";
    if (!main.isEmpty() && !tokens.contains(main)) {
      tokens.add(main);
    }
    if (!per.isEmpty() && !tokens.contains("per_" + per)) {
      tokens.add("per_" + per);
    }
    boolean counter = kind == MetricKind.SUM && monotonic;
    if (counter) {
      tokens.remove("total");
      tokens.add("total");
    }
    if (unit.equals("1") && kind == MetricKind.GAUGE) {
      tokens.remove("ratio");
      tokens.add("ratio");
    }
    String out = String.join("_", tokens);
    if (!out.isEmpty() && Character.isDigit(out.charAt(0))) {
      out = "_" + out;
    }
    return out;
  }

  /** A unit without braces, mapped to its word; others kept, cleaned to valid characters. */
  private static String unitWord(String unit, Map<String, String> words) {
    String trimmed = unit.trim();
    if (trimmed.isEmpty() || trimmed.contains("{") || trimmed.contains("}")) {
      return "";
    }
    return String.join("_", tokens(words.getOrDefault(trimmed, trimmed)));
  }

  /** The runs of {@code [a-zA-Z0-9:]} of a name (so separators collapse to one underscore). */
  private static List<String> tokens(String name) {
    List<String> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':') {
        token.append(c);
      } else if (token.length() > 0) {
        out.add(token.toString());
        token.setLength(0);
      }
    }
    if (token.length() > 0) {
      out.add(token.toString());
    }
    return out;
  }

  /**
   * An attribute key as a label name: characters outside {@code [a-zA-Z0-9_]} become {@code _},
   * runs of underscores one, and a leading digit gets {@code key_} in front; empty when nothing is
   * left but underscores (the attribute is then not a label).
   */
  static String labelName(String key) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      char next = valid ? c : '_';
      if (next == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_') {
        continue;
      }
      out.append(next);
    }
    if (out.chars().allMatch(c -> c == '_')) {
      return "";
    }
    if (Character.isDigit(out.charAt(0))) {
      out.insert(0, "key_");
    }
    return out.toString();
  }
}
