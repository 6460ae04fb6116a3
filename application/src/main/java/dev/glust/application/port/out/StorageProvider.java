package dev.glust.application.port.out;

/**
 * A storage adapter's entry point, found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.glust.application.port.out.StorageProvider} file in the adapter's jar):
 * bootstrap opens the one whose {@link #name()} GLUST_STORAGE names. Adding a storage adapter is a
 * module with one of these, and its jar on the classpath.
 */
public interface StorageProvider {
  /** The GLUST_STORAGE value that selects this adapter: lower case, e.g. {@code postgres}. */
  String name();

  /**
   * Connects and prepares the storage (schema, background upkeep); fails if it cannot.
   *
   * @throws StorageUnavailableException when the storage cannot be reached
   */
  Storage open(StorageEnvironment environment);
}
