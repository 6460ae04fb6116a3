package dev.glust.bootstrap;

import dev.glust.application.port.out.StorageEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.core.convert.ConversionService;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The settings a storage adapter reads, from the configuration (a documented {@link Setting} only,
 * its default when unset). The database's address and credentials come from the {@link
 * DatabaseLauncher}: an unset GLUST_DB_URL there means the embedded PostgreSQL, started on first
 * ask, so a storage adapter that never asks never starts it.
 */
final class ConfiguredStorageEnvironment implements StorageEnvironment {
  private final Environment environment;
  private final Supplier<DatabaseLauncher> database;

  ConfiguredStorageEnvironment(Environment environment, Supplier<DatabaseLauncher> database) {
    this.environment = environment;
    this.database = database;
  }

  @Override
  public <T> T setting(String key, Class<T> type) {
    String value = text(key);
    return type == String.class
        ? type.cast(value)
        : ConversionService.SHARED.convertRequired(value.strip(), type);
  }

  private String text(String key) {
    switch (key) {
      case "glust.db.url":
        return database.get().settings().jdbcUrl();
      case "glust.db.user":
        return database.get().settings().user();
      case "glust.db.password":
        return database.get().settings().password();
      case "glust.db.service-user":
        return database.get().settings().serviceUser();
      case "glust.db.service-password":
        return database.get().settings().servicePassword();
      default:
        Setting setting =
            Arrays.stream(Setting.values())
                .filter(s -> key.equals(s.property))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no setting " + key));
        return environment.getProperty(key, String.class).orElse(setting.defaultValue);
    }
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}
