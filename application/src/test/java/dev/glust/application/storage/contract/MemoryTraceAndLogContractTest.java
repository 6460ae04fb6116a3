package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The trace and log storage contract, met by the in-memory storage. */
class MemoryTraceAndLogContractTest extends TraceAndLogStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
