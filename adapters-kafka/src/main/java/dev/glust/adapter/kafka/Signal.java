package dev.glust.adapter.kafka;

import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.util.List;

/**
 * One kind of telemetry on Kafka: its name (the topic is the prefix plus the name) and its batch
 * encoding. Adding a signal is one more constant here, a codec, and a route in the writer.
 */
record Signal<T>(String name, BatchCodec<T> codec) {
  static final Signal<Span> SPANS = new Signal<>("spans", new SpanCodec());
  static final Signal<LogRecord> LOGS = new Signal<>("logs", new LogCodec());
  static final Signal<MetricPoint> METRICS = new Signal<>("metrics", new MetricCodec());

  /** Every signal carried: each has its topic, created when missing. */
  static final List<Signal<?>> ALL = List.of(SPANS, LOGS, METRICS);
}
