package dev.glust.adapter.kafka;

import java.util.List;

/**
 * The encoding of one signal's domain batch as a Kafka record value, and the record key that
 * decides its partition: {@link SpanCodec}, {@link LogCodec}, {@link MetricCodec}.
 */
interface BatchCodec<T> {
  /** The encoding version every batch carries in field 1; readers refuse any other. */
  int VERSION = 1;

  byte[] encode(List<T> records);

  List<T> decode(byte[] value) throws MalformedBatchException;

  /**
   * The partition key: records with equal keys land in one partition, in order. Null spreads the
   * record over partitions (Kafka's sticky partitioner).
   */
  byte[] key(T record);
}
