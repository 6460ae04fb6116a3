package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;

/** The spanset search contract, met by the in-memory storage. */
class MemorySpansetContractTest extends SpansetStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return new MemoryStorage();
  }
}
