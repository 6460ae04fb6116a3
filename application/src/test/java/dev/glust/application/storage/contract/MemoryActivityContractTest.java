package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The activity storage contract, met by the in-memory storage. */
class MemoryActivityContractTest extends ActivityStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
