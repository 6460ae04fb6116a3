package dev.glust.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The settings given to this process: environment variables, over the YAML file GLUST_CONFIG names
 * (keys are the variable names: {@code GLUST_HTTP_PORT: 9090}). Every value is checked before
 * anything starts; the first one refused stops the start with a {@link SettingException}.
 */
final class ConfiguredSettings {
  private static final Set<Setting> LOGGING =
      EnumSet.of(Setting.LOG_FORMAT, Setting.LOG_LEVEL, Setting.LOG_LEVELS);

  /** The values set in the file and not in the environment. */
  private final Map<Setting, String> fromFile;

  private ConfiguredSettings(Map<Setting, String> fromFile) {
    this.fromFile = fromFile;
  }

  /**
   * Reads and checks the settings; the logging ones from the file become system properties, where
   * logback.xml finds them, so this must run before the first logger is made.
   *
   * @throws SettingException for the first setting or file that cannot be used
   */
  static ConfiguredSettings read(Map<String, String> environment) {
    Map<Setting, String> fromFile = new EnumMap<>(Setting.class);
    String file = environment.getOrDefault(Setting.CONFIG.variable, "");
    if (!file.isBlank()) {
      fromFile.putAll(readFile(Path.of(file)));
    }
    Map<Setting, String> given = new EnumMap<>(fromFile);
    for (Setting setting : Setting.values()) {
      String value = environment.get(setting.variable);
      if (value != null) {
        given.put(setting, value);
        fromFile.remove(setting);
      }
    }
    fromFile.forEach(
        (setting, value) -> {
          if (LOGGING.contains(setting)) {
            System.setProperty(setting.variable, value);
          }
        });
    given.forEach(Setting::check);
    checkTogether(given);
    return new ConfiguredSettings(fromFile);
  }

  /** What one value alone cannot show; the adapters check it again, without naming variables. */
  private static void checkTogether(Map<Setting, String> given) {
    String mode = valueOf(Setting.MODE, given).strip();
    if (!mode.equals("all") && valueOf(Setting.KAFKA_BOOTSTRAP, given).isBlank()) {
      throw new SettingException(
          "GLUST_KAFKA_BOOTSTRAP must name the Kafka brokers (host:port,…) when GLUST_MODE="
              + mode);
    }
    long replicas = Long.parseLong(valueOf(Setting.KAFKA_REPLICATION_FACTOR, given).strip());
    long inSync = Long.parseLong(valueOf(Setting.KAFKA_MIN_INSYNC_REPLICAS, given).strip());
    if (inSync > replicas) {
      throw new SettingException(
          Setting.KAFKA_MIN_INSYNC_REPLICAS.variable,
          Long.toString(inSync),
          "0, or at most GLUST_KAFKA_REPLICATION_FACTOR (" + replicas + ")");
    }
  }

  private static String valueOf(Setting setting, Map<Setting, String> given) {
    return given.getOrDefault(setting, setting.defaultValue);
  }

  /**
   * The file's values as the Micronaut properties they set (the environment's: application.yml).
   */
  Map<String, Object> fileProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    fromFile.forEach(
        (setting, value) -> {
          if (setting.property != null) {
            properties.put(setting.property, value);
          }
        });
    return properties;
  }

  private static Map<Setting, String> readFile(Path file) {
    String where = Setting.CONFIG.variable + "=" + file;
    Object document;
    try (Reader reader = Files.newBufferedReader(file)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException e) {
      throw new SettingException(where + ": cannot read the file (" + e + ")");
    } catch (YAMLException e) {
      throw new SettingException(
          where + ": not YAML: " + e.getMessage().replaceAll("\\s+", " ").strip());
    }
    if (document == null) {
      return Map.of();
    }
    if (!(document instanceof Map<?, ?> entries)) {
      throw new SettingException(where + ": must be a map of settings (GLUST_HTTP_PORT: 9090)");
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    entries.forEach(
        (key, value) -> {
          Setting setting = byVariable(String.valueOf(key));
          if (setting == null || setting == Setting.CONFIG) {
            throw new SettingException(
                where + ": " + key + " is not a setting (java -jar glust.jar --help lists them)");
          }
          if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
            throw new SettingException(
                where + ": " + key + " must be a single value, as in the environment");
          }
          values.put(setting, value == null ? "" : String.valueOf(value));
        });
    return values;
  }

  private static Setting byVariable(String variable) {
    for (Setting setting : Setting.values()) {
      if (setting.variable.equals(variable)) {
        return setting;
      }
    }
    return null;
  }
}
