package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings as an operator meets them: refused in one line, listed by --help, read from a file. */
class SettingsSystemTest {

  @ParameterizedTest
  @CsvSource({
    "GLUST_PARTITION_INTERVAL, 5s, a whole number of hours",
    "GLUST_HTTP_PORT, abc, a whole number from -1 to 65535",
    "GLUST_MODE, foo, 'one of all, receiver, writer'",
    "GLUST_QUERY_TIMEOUT, 30 seconds, a duration",
    "GLUST_LOG_LEVEL, loud, 'one of trace, debug'",
  })
  void aValueNotAllowedStopsGlustWithOneLineAndStatus2(
      String variable, String value, String allowed) throws Exception {
    try (GlustProcess glust = GlustProcess.start("bad-" + variable, Map.of(variable, value))) {
      assertThat(glust.exitStatus()).isEqualTo(2);
      assertThat(glust.stderr().lines())
          .singleElement()
          .asString()
          .contains(variable + "=" + (value.contains(" ") ? "'" + value + "'" : value))
          .contains(allowed);
      assertThat(glust.stdout()).isEmpty(); // nothing started, nothing logged
    }
  }

  @Test
  void aValueFromElsewhereRefusedWhileStartingStopsGlustTheSameWay() throws Exception {
    // Micronaut's command-line properties pass by the variables' check: GlustMode refuses it
    try (GlustProcess glust = GlustProcess.start("late-mode", Map.of(), "--glust.mode=foo")) {
      assertThat(glust.exitStatus()).isEqualTo(2);
      assertThat(glust.stderr().lines())
          .singleElement()
          .asString()
          .isEqualTo("glust: GLUST_MODE=foo is not allowed: one of all, receiver, writer");
    }
  }

  @Test
  void aMissingConfigFileStopsGlustWithOneLineAndStatus2() throws Exception {
    try (GlustProcess glust =
        GlustProcess.start("missing-config", Map.of("GLUST_CONFIG", "/no/such/glust.yml"))) {
      assertThat(glust.exitStatus()).isEqualTo(2);
      assertThat(glust.stderr().lines())
          .singleElement()
          .asString()
          .contains("GLUST_CONFIG=/no/such/glust.yml", "cannot read");
    }
  }

  @Test
  void helpListsEverySettingWithItsDefault() throws Exception {
    try (GlustProcess glust = GlustProcess.start("help", Map.of(), "--help")) {
      assertThat(glust.exitStatus()).isZero();
      String help = glust.stdout();
      assertThat(help.lines()).anyMatch(line -> line.matches("\\s+GLUST_HTTP_PORT\\s+8080\\s+.+"));
      for (Setting setting : Setting.values()) {
        assertThat(help).contains(setting.variable);
      }
      assertThat(help).contains("java -jar glust.jar demo");
    }
    try (GlustProcess demo = GlustProcess.start("demo-help", Map.of(), "demo", "--help")) {
      assertThat(demo.exitStatus()).isZero();
      assertThat(demo.stdout()).contains("--api-key KEY", "--rate N");
    }
  }

  @Test
  void versionPrintsTheProjectVersion() throws Exception {
    try (GlustProcess glust = GlustProcess.start("version", Map.of(), "--version")) {
      assertThat(glust.exitStatus()).isZero();
      assertThat(glust.stdout()).isEqualTo("glust " + GlustVersion.current() + "\n");
      assertThat(GlustVersion.current()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
  }

  @Test
  void aConfigFileSetsThePortAndTheEnvironmentOverridesIt(@TempDir Path dir) throws Exception {
    int filePort = GlustProcess.freePort();
    Map<String, String> database = GlustProcess.onTestDatabase(GlustProcess.freePort());
    Path file = dir.resolve("glust.yml");
    // the database and the port from the file; the log format too (read before logging starts)
    Files.writeString(
        file,
        database.entrySet().stream()
                .filter(e -> !e.getKey().equals("GLUST_HTTP_PORT"))
                .map(e -> e.getKey() + ": '" + e.getValue() + "'")
                .collect(Collectors.joining("\n"))
            + "\nGLUST_HTTP_PORT: "
            + filePort
            + "\nGLUST_LOG_FORMAT: text\n");
    try (GlustProcess glust =
        GlustProcess.start("config-file", Map.of("GLUST_CONFIG", file.toString()))) {
      glust.awaitOutput("Startup completed");
      HttpResponse<String> health = health(filePort);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(
              JsonParser.parseString(health.body()).getAsJsonObject().get("version").getAsString())
          .isEqualTo(GlustVersion.current());
      assertThat(glust.stdout()).doesNotContain("{\"@timestamp\"");
    }
    int environmentPort = GlustProcess.freePort();
    Map<String, String> environment = new HashMap<>();
    environment.put("GLUST_CONFIG", file.toString());
    environment.put("GLUST_HTTP_PORT", Integer.toString(environmentPort));
    environment.put("GLUST_LOG_FORMAT", "json");
    try (GlustProcess glust = GlustProcess.start("config-file-overridden", environment)) {
      glust.awaitOutput("Startup completed");
      assertThat(health(environmentPort).statusCode()).isEqualTo(200);
      assertThat(glust.stdout()).startsWith("{\"@timestamp\"");
    }
  }

  private static HttpResponse<String> health(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
