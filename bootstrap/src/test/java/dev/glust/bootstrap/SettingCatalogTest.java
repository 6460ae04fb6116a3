package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Setting enum is the list of all settings: application.yml maps exactly those. */
class SettingCatalogTest {
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
