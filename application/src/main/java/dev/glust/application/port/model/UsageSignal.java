package dev.glust.application.port.model;

import java.util.Locale;

/** The kinds of telemetry whose usage is counted, as the usage API names them. */
public enum UsageSignal {
  TRACES,
  LOGS,
  METRICS;

  /** {@code traces}, {@code logs} or {@code metrics}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
