package dev.glust.adapter.kafka;

import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.MetricStorageContract;
import org.junit.jupiter.api.AfterEach;

/** The metric contract with its points saved through Kafka ({@link KafkaIntoMemory}). */
class KafkaMetricContractTest extends MetricStorageContract {
  private KafkaIntoMemory kafka;

  @Override
  protected Storage openEmptyStorage() {
    kafka = new KafkaIntoMemory();
    return kafka.storage;
  }

  @Override
  protected SaveMetricsPort metricsInto(Storage storage) {
    return kafka.metrics();
  }

  @AfterEach
  void closeKafka() throws Exception {
    kafka.close();
  }
}
