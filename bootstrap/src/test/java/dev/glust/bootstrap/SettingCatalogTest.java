package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.reflect.ReflectionUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Setting enum is the list of all settings: application.yml maps exactly those. */
class SettingCatalogTest {
  private static final Path MAIN_SOURCES = Path.of("src/main/java/dev/glust/bootstrap");
  private static final Pattern VALUE_WITH_DEFAULT = Pattern.compile("@Value\\(\"\\$\\{[^}:]*:");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(GLUST_[A-Z0-9_]+):(.*)}");

  @Test
  void applicationYmlMapsEverySettingToItsPropertyWithItsDefault() throws Exception {
    Map<String, String> mapped = new LinkedHashMap<>();
    try (InputStream yml = getClass().getResourceAsStream("/application.yml")) {
      flatten("", new Yaml().load(yml), mapped);
    }
    Map<String, String> expected =
        Arrays.stream(Setting.values())
            .filter(setting -> setting.property != null)
            .collect(
                Collectors.toMap(
                    setting -> setting.property,
                    setting -> setting.variable + ":" + setting.defaultValue,
                    (a, b) -> a,
                    LinkedHashMap::new));
    Map<String, String> placeholders = new LinkedHashMap<>();
    mapped.forEach(
        (property, value) -> {
          Matcher placeholder = PLACEHOLDER.matcher(value);
          if (placeholder.matches()) {
            placeholders.put(property, placeholder.group(1) + ":" + placeholder.group(2));
          }
        });
    assertThat(placeholders).containsExactlyInAnyOrderEntriesOf(expected);
  }

  /**
   * Defaults live in one place: the typed configuration records state none (each component is a
   * Setting's property, so application.yml gives it the Setting's default), nor does any
   * {@code @Value} of bootstrap.
   */
  @Test
  void theTypedConfigurationReadsSettingsWhoseDefaultsItsTypesAccept() throws Exception {
    Map<String, Setting> byProperty =
        Arrays.stream(Setting.values())
            .filter(setting -> setting.property != null)
            .collect(Collectors.toMap(setting -> setting.property, setting -> setting));
    List<Class<?>> records = configurationRecords();
    assertThat(records).as("typed configuration records").contains(DatabaseConfig.class);
    for (Class<?> type : records) {
      String prefix = type.getAnnotation(ConfigurationProperties.class).value();
      for (RecordComponent component : type.getRecordComponents()) {
        String property = prefix + "." + StringConvention.HYPHENATED.format(component.getName());
        assertThat(byProperty).as("the setting of %s", property).containsKey(property);
        assertThat(
                ConversionService.SHARED.convert(
                    byProperty.get(property).defaultValue,
                    ReflectionUtils.getWrapperType(component.getType())))
            .as("%s as a %s", byProperty.get(property), component.getType())
            .isPresent();
      }
    }
  }

  @Test
  void noValueOfBootstrapStatesADefault() throws IOException {
    try (Stream<Path> sources = Files.walk(MAIN_SOURCES)) {
      assertThat(
              sources
                  .filter(file -> file.toString().endsWith(".java"))
                  .filter(file -> VALUE_WITH_DEFAULT.matcher(read(file)).find())
                  .map(Path::getFileName)
                  .map(Path::toString))
          .isEmpty();
    }
  }

  /** The records of bootstrap's main sources annotated {@code @ConfigurationProperties}. */
  private static List<Class<?>> configurationRecords() throws Exception {
    List<Class<?>> records = new ArrayList<>();
    try (Stream<Path> sources = Files.list(MAIN_SOURCES)) {
      for (Path file : sources.filter(file -> file.toString().endsWith(".java")).toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        Class<?> type = Class.forName(Setting.class.getPackageName() + "." + name);
        if (type.isRecord() && type.isAnnotationPresent(ConfigurationProperties.class)) {
          records.add(type);
        }
      }
    }
    return records;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void refusesAValueWithTheVariableTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> Setting.PARTITION_INTERVAL.check("5s"))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "GLUST_PARTITION_INTERVAL=5s is not allowed: a whole number of hours, at least 1h"
                + " (e.g. 1h, 6h, 1d)");
    assertThatThrownBy(() -> Setting.HTTP_PORT.check(""))
        .hasMessageContaining("GLUST_HTTP_PORT=''");
  }

  @Test
  void acceptsWhatTheBeansAccept() {
    Setting.PARTITION_INTERVAL.check("6h");
    Setting.PARTITION_INTERVAL.check("1d");
    assertThatThrownBy(() -> Setting.PARTITION_INTERVAL.check("90m"))
        .isInstanceOf(SettingException.class);
    Setting.SPANS_RETENTION.check("");
    Setting.SPANS_RETENTION.check("14d");
    assertThatThrownBy(() -> Setting.RETENTION.check("")).isInstanceOf(SettingException.class);
    Setting.HTTP_PORT.check("-1");
    assertThatThrownBy(() -> Setting.HTTP_PORT.check("65536")).isInstanceOf(SettingException.class);
    Setting.SELF_TRACING_SAMPLE_RATIO.check("0.25");
    assertThatThrownBy(() -> Setting.SELF_TRACING_SAMPLE_RATIO.check("2"))
        .isInstanceOf(SettingException.class);
    Setting.LOG_LEVELS.check("dev.glust.adapter.postgres=debug,org.apache.kafka=WARN");
    assertThatThrownBy(() -> Setting.LOG_LEVELS.check("dev.glust=loud"))
        .isInstanceOf(SettingException.class);
    for (Setting setting : Setting.values()) {
      setting.check(setting.defaultValue);
    }
  }

  @Test
  void checksTheSettingsThatGoTogether() {
    assertThatThrownBy(() -> ConfiguredSettings.read(Map.of("GLUST_MODE", "writer")))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("GLUST_KAFKA_BOOTSTRAP");
    ConfiguredSettings.read(
        Map.of("GLUST_MODE", "writer", "GLUST_KAFKA_BOOTSTRAP", "localhost:9092"));
    assertThatThrownBy(
            () ->
                ConfiguredSettings.read(
                    Map.of(
                        "GLUST_KAFKA_REPLICATION_FACTOR",
                        "2",
                        "GLUST_KAFKA_MIN_INSYNC_REPLICAS",
                        "3")))
        .hasMessage(
            "GLUST_KAFKA_MIN_INSYNC_REPLICAS=3 is not allowed: 0, or at most"
                + " GLUST_KAFKA_REPLICATION_FACTOR (2)");
  }

  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) -> flatten(prefix.isEmpty() ? "" + key : prefix + "." + key, value, out));
    } else {
      out.put(prefix, String.valueOf(node));
    }
  }
}
