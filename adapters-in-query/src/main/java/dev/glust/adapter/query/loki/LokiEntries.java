package dev.glust.adapter.query.loki;

import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Resource;
import dev.glust.domain.log.LogRecord;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/** Maps log records to {@link LokiEntry}: which fields are stream labels, which metadata. */
final class LokiEntries {
  static final String SERVICE_NAME = "service_name";
  static final String LEVEL = "level";
  static final String SEVERITY_TEXT = "severity_text";
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private LokiEntries() {}

  static LokiEntry of(LogRecord record) {
    SortedMap<String, String> stream = new TreeMap<>();
    for (Attribute a : record.resource().attributes().entries()) {
      if (!a.key().equals(Resource.SERVICE_NAME)) {
        stream.put(LokiText.labelName(a.key()), LokiText.of(a.value()));
      }
    }
    stream.put(SERVICE_NAME, record.serviceName());
    stream.put(LEVEL, level(SeverityLevel.of(record.severityNumber())));
    if (!record.severityText().isEmpty()) {
      stream.put(SEVERITY_TEXT, record.severityText());
    }
    SortedMap<String, String> metadata = new TreeMap<>();
    for (Attribute a : record.attributes().entries()) {
      metadata.put(LokiText.labelName(a.key()), LokiText.of(a.value()));
    }
    if (record.traceId() != null) {
      metadata.put(TRACE_ID, record.traceId().toHex());
    }
    if (record.spanId() != null) {
      metadata.put(SPAN_ID, record.spanId().toHex());
    }
    return new LokiEntry(
        record.effectiveTimeUnixNano(), LokiText.of(record.body()), stream, metadata);
  }

  /** The names Grafana colours log levels by; unspecified is Grafana's "unknown". */
  static String level(SeverityLevel level) {
    return level == SeverityLevel.UNSPECIFIED ? "unknown" : level.name().toLowerCase(Locale.ROOT);
  }

  /** The level a {@code level} label value names, if it names one. */
  static SeverityLevel levelNamed(String value) {
    for (SeverityLevel level : SeverityLevel.values()) {
      if (level(level).equals(value)) {
        return level;
      }
    }
    return null;
  }
}
