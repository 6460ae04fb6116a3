package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The operation rollup storage contract, met by the in-memory storage. */
class MemoryOperationRollupContractTest extends OperationRollupStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
