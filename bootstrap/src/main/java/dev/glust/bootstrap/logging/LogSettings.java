package dev.glust.bootstrap.logging;

import java.util.Optional;

/**
 * Reads a logging setting as Logback's own {@code ${NAME}} substitution does: a system property
 * first (where {@code GlustApplication} puts values from the GLUST_CONFIG file), then the
 * environment.
 */
final class LogSettings {
  private LogSettings() {}

  static Optional<String> value(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name);
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
