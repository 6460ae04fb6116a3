package dev.glust.adapter.kafka;

/**
 * One kind of telemetry on Kafka: its name (the topic is the prefix plus the name) and its batch
 * encoding. Adding a signal (metrics) is one more constant here and a codec.
 */
record Signal<T>(String name, BatchCodec<T> codec) {
  static final Signal<dev.glust.domain.trace.Span> SPANS = new Signal<>("spans", new SpanCodec());
  static final Signal<dev.glust.domain.log.LogRecord> LOGS = new Signal<>("logs", new LogCodec());
}
