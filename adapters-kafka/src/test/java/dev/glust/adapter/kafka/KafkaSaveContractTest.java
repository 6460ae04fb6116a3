package dev.glust.adapter.kafka;

import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.SaveStorageContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The save contract through Kafka, as receiver and writer modes run it ({@link KafkaIntoMemory}). A
 * retried publish is two Kafka records: the storage behind the writer is what stores it once.
 */
class KafkaSaveContractTest extends SaveStorageContract {
  private KafkaIntoMemory kafka;

  @Override
  protected Storage openEmptyStorage() {
    kafka = new KafkaIntoMemory();
    return kafka.storage;
  }

  @Override
  protected SaveSpansPort spansInto(Storage storage) {
    return kafka.spans();
  }

  @Override
  protected SaveLogsPort logsInto(Storage storage) {
    return kafka.logs();
  }

  @AfterEach
  void closeKafka() throws Exception {
    kafka.close();
  }
}
