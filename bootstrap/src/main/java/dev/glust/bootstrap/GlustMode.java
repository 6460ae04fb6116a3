package dev.glust.bootstrap;

import java.util.Locale;

/**
 * What one Glust process does (GLUST_MODE). {@code all}: receive and store, as one process on one
 * PostgreSQL; {@code receiver}: OTLP in, Kafka out, no database needed to ingest; {@code writer}:
 * Kafka in, PostgreSQL out, no OTLP receivers.
 */
enum GlustMode {
  ALL,
  RECEIVER,
  WRITER;

  /** The property Micronaut's {@code @Requires} conditions read (lower-case values). */
  static final String PROPERTY = "glust.mode";

  static GlustMode parse(String value) {
    for (GlustMode mode : values()) {
      if (mode.name().toLowerCase(Locale.ROOT).equals(value)) {
        return mode;
      }
    }
    // reached when the property comes from elsewhere than GLUST_MODE (e.g. --glust.mode=…)
    throw new SettingException(Setting.MODE.variable, value, Setting.MODE.allowed.description());
  }
}
