package dev.glust.adapter.query.loki;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A log record as Loki sees it: a time, a line, the labels of its stream (indexed in Loki: service,
 * level, severity text, resource attributes) and its structured metadata (trace and span id, record
 * attributes: per record, so never stream labels).
 */
record LokiEntry(
    long timeUnixNano,
    String line,
    SortedMap<String, String> stream,
    SortedMap<String, String> metadata) {
  LokiEntry {
    Objects.requireNonNull(line, "line");
    stream = new TreeMap<>(stream);
    metadata = new TreeMap<>(metadata);
  }

  /** A label of the stream, else of the metadata; null when neither has it. */
  String label(String name) {
    String value = stream.get(name);
    return value != null ? value : metadata.get(name);
  }

  /** The line's size in bytes, as Loki's bytes_over_time counts it. */
  long bytes() {
    return LokiText.utf8Length(line);
  }

  /** Stream labels and metadata together, stream labels winning. */
  Map<String, String> allLabels() {
    Map<String, String> all = new TreeMap<>(metadata);
    all.putAll(stream);
    return all;
  }
}
