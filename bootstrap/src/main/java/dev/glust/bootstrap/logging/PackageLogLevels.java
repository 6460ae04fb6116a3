package dev.glust.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.LifeCycle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Applies {@code GLUST_LOG_LEVELS} ({@code dev.glust.adapter.postgres=debug,org.apache.kafka=warn})
 * when Logback has read logback.xml, after its fixed logger levels, so a setting overrides them.
 * Registered in logback.xml as a context listener: Logback starts it once configured.
 */
public final class PackageLogLevels extends ContextAwareBase
    implements LoggerContextListener, LifeCycle {
  public static final String SETTING = "GLUST_LOG_LEVELS";
  private boolean started;

  /**
   * Parses {@code logger=level,logger=level}.
   *
   * @throws IllegalArgumentException naming the first entry that is not {@code name=level}
   */
  public static Map<String, Level> parse(String text) {
    Map<String, Level> levels = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String logger = equals < 0 ? "" : entry.substring(0, equals).strip();
      Level level = equals < 0 ? null : level(entry.substring(equals + 1));
      if (logger.isEmpty() || level == null) {
        throw new IllegalArgumentException("not logger=level: '" + entry.strip() + "'");
      }
      levels.put(logger, level);
    }
    return levels;
  }

  /** The level named (any case), or null: Logback's own parser turns unknown names into DEBUG. */
  public static Level level(String name) {
    String wanted = name.strip().toUpperCase(Locale.ROOT);
    for (Level level :
        new Level[] {Level.OFF, Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE}) {
      if (level.levelStr.equals(wanted)) {
        return level;
      }
    }
    return null;
  }

  @Override
  public void start() {
    LoggerContext loggers = (LoggerContext) getContext();
    try {
      LogSettings.value(SETTING)
          .map(PackageLogLevels::parse)
          .ifPresent(
              levels -> levels.forEach((name, lvl) -> loggers.getLogger(name).setLevel(lvl)));
    } catch (IllegalArgumentException e) {
      // GlustApplication refuses such a value before logging starts; here only a warning
      addWarn(SETTING + ": " + e.getMessage());
    }
    started = true;
  }

  @Override
  public void stop() {
    started = false;
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  @Override
  public boolean isResetResistant() {
    return false;
  }

  @Override
  public void onStart(LoggerContext context) {}

  @Override
  public void onReset(LoggerContext context) {}

  @Override
  public void onStop(LoggerContext context) {}

  @Override
  public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {}
}
