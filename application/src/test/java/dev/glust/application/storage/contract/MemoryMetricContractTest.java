package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The metric storage contract, met by the in-memory storage. */
class MemoryMetricContractTest extends MetricStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
