package dev.glust.bootstrap;

import dev.glust.application.port.out.StorageEnvironment;
import dev.glust.application.port.out.StorageProvider;
import dev.glust.application.storage.contract.MemoryStorage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * GLUST_STORAGE=memory, for bootstrap's tests only (registered in src/test/resources): the
 * application's in-memory storage, as a storage adapter in a module of its own would plug in.
 */
public final class MemoryStorageProvider implements StorageProvider {
  /** Every storage this provider opened, so that a test can look into the one a service uses. */
  static final List<MemoryStorage> OPENED = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public MemoryStorage open(StorageEnvironment environment) {
    MemoryStorage storage = new MemoryStorage();
    OPENED.add(storage);
    return storage;
  }
}
