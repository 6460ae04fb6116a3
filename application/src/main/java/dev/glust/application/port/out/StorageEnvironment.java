package dev.glust.application.port.out;

import java.time.Clock;

/** What a {@link StorageProvider} may read to open its storage: the settings and the clock. */
public interface StorageEnvironment {
  /**
   * A setting by its property key (e.g. {@code glust.db.url}), as configured or else its documented
   * default, converted to {@code type} (String, Integer, Duration, Boolean).
   *
   * @throws IllegalArgumentException when the key is unknown or its value does not convert
   */
  <T> T setting(String key, Class<T> type);

  Clock clock();
}
