package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The save storage contract, met by the in-memory storage. */
class MemorySaveContractTest extends SaveStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
