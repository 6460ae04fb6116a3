package dev.glust.bootstrap.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * Chooses the console appender (logback.xml): {@code GLUST_LOG_FORMAT=text} or {@code json}, or by
 * default ({@code auto}) text for a person at a terminal and JSON for a log collector, which reads
 * stdout through a pipe or a file.
 */
public final class ConsoleFormat extends PropertyDefinerBase {
  public static final String SETTING = "GLUST_LOG_FORMAT";

  @Override
  public String getPropertyValue() {
    String chosen = LogSettings.value(SETTING).orElse("auto").strip().toLowerCase(Locale.ROOT);
    return switch (chosen) {
      case "text", "json" -> chosen;
      // Java 17: no console unless stdin and stdout are both terminals
      default -> System.console() != null ? "text" : "json";
    };
  }
}
