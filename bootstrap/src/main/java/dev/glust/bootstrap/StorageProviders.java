package dev.glust.bootstrap;

import dev.glust.application.port.out.StorageProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The storage adapters on the classpath, found by {@link ServiceLoader}, chosen by name. */
final class StorageProviders {
  private StorageProviders() {}

  /**
   * @throws SettingException naming the known adapters when none answers to {@code name}
   */
  static StorageProvider named(String name) {
    List<StorageProvider> known =
        ServiceLoader.load(StorageProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    return known.stream()
        .filter(provider -> provider.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new SettingException(
                    Setting.STORAGE.variable,
                    name,
                    "one of "
                        + known.stream()
                            .map(StorageProvider::name)
                            .sorted()
                            .collect(Collectors.joining(", "))));
  }
}
