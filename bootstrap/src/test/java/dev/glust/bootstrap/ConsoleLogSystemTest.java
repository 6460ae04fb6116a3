package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console log as people and log collectors get it: text lines with a date at a terminal, JSON
 * lines otherwise, with the levels GLUST_LOG_LEVEL and GLUST_LOG_LEVELS set.
 */
class ConsoleLogSystemTest {
  private static final String STARTED = "Startup completed";

  @Test
  void aTerminalGetsTextLinesWithADate() throws Exception {
    try (GlustProcess glust =
        GlustProcess.start(
            "console-text", true, GlustProcess.onTestDatabase(GlustProcess.freePort()))) {
      String output = glust.awaitOutput(STARTED);
      assertThat(output.lines())
          .anyMatch(
              line ->
                  line.matches(
                      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\S+ - "
                          + STARTED
                          + ".*"));
      assertThat(output).doesNotContain("{\"@timestamp\"");
    }
  }

  @Test
  void withoutATerminalEveryLineIsAJsonObjectWithTheQueriedFields() throws Exception {
    Map<String, String> settings =
        new HashMap<>(GlustProcess.onTestDatabase(GlustProcess.freePort()));
    // a fresh database: the postgres adapter would log its new partitions at INFO
    settings.put("GLUST_LOG_LEVELS", "dev.glust.adapter.postgres=warn");
    try (GlustProcess glust = GlustProcess.start("console-json", settings)) {
      List<JsonObject> lines =
          glust
              .awaitOutput(STARTED)
              .lines()
              .map(l -> JsonParser.parseString(l).getAsJsonObject())
              .toList();
      assertThat(lines).isNotEmpty();
      for (JsonObject line : lines) {
        assertThat(line.keySet()).contains("@timestamp", "level", "logger", "thread", "message");
        OffsetDateTime.parse(line.get("@timestamp").getAsString()); // with an offset
        assertThat(line.keySet()).doesNotContain("trace_id", "span_id"); // nothing traced here
        assertThat(line.get("logger").getAsString()).doesNotStartWith("dev.glust.adapter.postgres");
      }
      assertThat(lines)
          .anyMatch(
              line ->
                  line.get("level").getAsString().equals("INFO")
                      && line.get("message").getAsString().startsWith(STARTED)
                      && line.get("thread").getAsString().equals("main"));
    }
  }

  @Test
  void theRootLevelHidesInfoLines() throws Exception {
    Map<String, String> settings =
        new HashMap<>(GlustProcess.onTestDatabase(GlustProcess.freePort()));
    settings.put("GLUST_LOG_LEVEL", "warn");
    settings.put("GLUST_LOG_FORMAT", "text");
    // Micronaut's start-up line, raised back to INFO: the one line expected
    settings.put("GLUST_LOG_LEVELS", "io.micronaut.runtime.Micronaut=info");
    try (GlustProcess glust = GlustProcess.start("console-warn", settings)) {
      String output = glust.awaitOutput(STARTED);
      assertThat(output.lines().filter(line -> line.contains(" INFO  "))).hasSize(1);
      assertThat(output).doesNotContain("{\"@timestamp\"");
    }
  }
}
