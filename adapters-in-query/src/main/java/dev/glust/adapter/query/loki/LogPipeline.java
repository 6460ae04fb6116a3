package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.BothPredicates;
import dev.glust.adapter.query.loki.LogQl.DropStage;
import dev.glust.adapter.query.loki.LogQl.EitherPredicate;
import dev.glust.adapter.query.loki.LogQl.LabelFilter;
import dev.glust.adapter.query.loki.LogQl.LabelPredicate;
import dev.glust.adapter.query.loki.LogQl.LineFilter;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.NumberComparison;
import dev.glust.adapter.query.loki.LogQl.ParserKind;
import dev.glust.adapter.query.loki.LogQl.ParserStage;
import dev.glust.adapter.query.loki.LogQl.Stage;
import dev.glust.adapter.query.loki.LogQl.StringComparison;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs a log query's selector and stages over one entry. Labels a parser extracts join the entry's
 * labels (a name the stream already has gets {@code _extracted}, as in Loki); a line a parser
 * cannot read gets {@code __error__} instead of being dropped.
 */
final class LogPipeline {
  static final String ERROR_LABEL = "__error__";

  private static final Argument<Map<String, Object>> JSON_OBJECT =
      Argument.mapOf(String.class, Object.class);

  private final LogExpr query;
  private final JsonMapper json;

  LogPipeline(LogExpr query, JsonMapper json) {
    this.query = query;
    this.json = json;
  }

  /** What an entry that passed looks like: every label, and those the parsers added. */
  record Passed(
      LokiEntry entry,
      SortedMap<String, String> stream,
      SortedMap<String, String> metadata,
      SortedMap<String, String> parsed) {
    /** Stream and parsed labels: what a metric query's series are told apart by. */
    SortedMap<String, String> seriesLabels() {
      SortedMap<String, String> labels = new TreeMap<>(stream);
      labels.putAll(parsed);
      return labels;
    }
  }

  /** The entry after the pipeline, or null when the selector or a stage drops it. */
  Passed apply(LokiEntry entry) {
    for (Matcher m : query.selector()) {
      if (!m.matches(entry.label(m.name()))) {
        return null;
      }
    }
    SortedMap<String, String> stream = new TreeMap<>(entry.stream());
    SortedMap<String, String> metadata = new TreeMap<>(entry.metadata());
    SortedMap<String, String> parsed = new TreeMap<>();
    for (Stage stage : query.stages()) {
      if (stage instanceof LineFilter filter) {
        if (!filter.keeps(entry.line())) {
          return null;
        }
      } else if (stage instanceof ParserStage parser) {
        parse(parser.kind(), entry.line(), stream, metadata, parsed);
      } else if (stage instanceof LabelFilter filter) {
        if (!test(filter.predicate(), stream, metadata, parsed)) {
          return null;
        }
      } else if (stage instanceof DropStage drop) {
        stream.keySet().removeAll(drop.labels());
        metadata.keySet().removeAll(drop.labels());
        parsed.keySet().removeAll(drop.labels());
      }
    }
    return new Passed(entry, stream, metadata, parsed);
  }

  private void parse(
      ParserKind kind,
      String line,
      Map<String, String> stream,
      Map<String, String> metadata,
      Map<String, String> parsed) {
    Map<String, String> fields = new TreeMap<>();
    boolean ok = kind == ParserKind.JSON ? jsonFields(line, fields) : Logfmt.parse(line, fields);
    if (!ok) {
      parsed.put(ERROR_LABEL, kind == ParserKind.JSON ? "JSONParserErr" : "LogfmtParserErr");
      return;
    }
    fields.forEach(
        (name, value) -> {
          String key = LokiText.labelName(name);
          if (stream.containsKey(key) || metadata.containsKey(key)) {
            key = key + "_extracted";
          }
          parsed.put(key, value);
        });
  }

  private boolean jsonFields(String line, Map<String, String> fields) {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return false;
    }
    try {
      Map<String, Object> object = json.readValue(trimmed, JSON_OBJECT);
      if (object == null) {
        return false;
      }
      flatten("", object, fields);
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // a line that is not JSON is the query's business, not an error of ours
    }
  }

  /** Nested objects become {@code outer_inner}; arrays are left out, as Loki does. */
  private static void flatten(String prefix, Map<?, ?> object, Map<String, String> fields) {
    for (Map.Entry<?, ?> e : object.entrySet()) {
      String key = prefix + e.getKey();
      Object value = e.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(key + "_", nested, fields);
      } else if (value instanceof List<?>) {
        continue;
      } else {
        fields.put(key, value == null ? "" : String.valueOf(value));
      }
    }
  }

  private static boolean test(
      LabelPredicate predicate,
      Map<String, String> stream,
      Map<String, String> metadata,
      Map<String, String> parsed) {
    if (predicate instanceof BothPredicates both) {
      return test(both.left(), stream, metadata, parsed)
          && test(both.right(), stream, metadata, parsed);
    }
    if (predicate instanceof EitherPredicate either) {
      return test(either.left(), stream, metadata, parsed)
          || test(either.right(), stream, metadata, parsed);
    }
    if (predicate instanceof StringComparison s) {
      return s.matcher().matches(label(s.matcher().name(), stream, metadata, parsed));
    }
    NumberComparison n = (NumberComparison) predicate;
    String value = label(n.name(), stream, metadata, parsed);
    if (value == null) {
      return false;
    }
    try {
      return n.comparison().test(Double.parseDouble(value.strip()), n.value());
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String label(
      String name,
      Map<String, String> stream,
      Map<String, String> metadata,
      Map<String, String> parsed) {
    String value = parsed.get(name);
    if (value == null) {
      value = stream.get(name);
    }
    return value != null ? value : metadata.get(name);
  }
}
