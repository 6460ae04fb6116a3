package dev.glust.bootstrap;

import dev.glust.application.port.out.StorageProvider;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The storage adapters on the classpath, found by {@link ServiceLoader} (each adapter's jar names
 * its {@link StorageProvider} in META-INF/services), chosen by name: GLUST_STORAGE.
 */
final class StorageProviders {
  private StorageProviders() {}

  private static List<StorageProvider> all() {
    return ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }

  /** The names GLUST_STORAGE accepts, sorted. */
  static List<String> names() {
    return all().stream().map(StorageProvider::name).sorted().toList();
  }

  /**
   * @throws SettingException naming the known adapters when none answers to {@code name} (reached
   *     when the property comes from elsewhere than GLUST_STORAGE, which is checked before)
   */
  static StorageProvider named(String name) {
    return all().stream()
        .filter(provider -> provider.name().equals(name.strip()))
        .findFirst()
        .orElseThrow(
            () ->
                new SettingException(
                    Setting.STORAGE.variable, name, Setting.STORAGE.allowed.description()));
  }
}
