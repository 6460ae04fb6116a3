package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The usage storage contract, met by the in-memory storage. */
class MemoryUsageContractTest extends UsageStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
