package dev.glust.adapter.otlp.violation;

import org.apache.kafka.clients.producer.ProducerRecord;

/** Breaks a rule on purpose: a receiver that builds Kafka records itself, beside the adapter. */
public final class OtlpUsingKafkaClient {
  public ProducerRecord<byte[], byte[]> record;
}
