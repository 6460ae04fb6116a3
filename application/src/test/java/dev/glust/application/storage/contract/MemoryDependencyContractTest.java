package dev.glust.application.storage.contract;

import dev.glust.application.port.out.Storage;
import java.time.Clock;

/** The dependency storage contract, met by the in-memory storage (which matches at once). */
class MemoryDependencyContractTest extends DependencyStorageContract {
  @Override
  protected Storage openEmptyStorage(Clock clock) {
    return new MemoryStorage();
  }
}
