package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.bootstrap.logging.JsonLogLayout;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A log line written while serving a traced query request names the request's trace and span (JSON
 * format): the ids travel with Micronaut's propagated context to whichever thread logs.
 */
class TracedLogLinesSystemTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void theQueryErrorLineOfATracedRequestCarriesItsTraceAndSpanIds() throws Exception {
    Logger errors = (Logger) LoggerFactory.getLogger("dev.glust.adapter.query.QueryErrorHandler");
    JsonLines lines = new JsonLines();
    lines.setContext(errors.getLoggerContext());
    lines.start();
    errors.addAppender(lines);
    // self-tracing on; its spans would be sent in an hour, long after the test
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.self-tracing.endpoint", "http://127.0.0.1:9",
                "glust.self-tracing.export-delay", "1h"))) {
      String name = glust.db.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
      try (Connection c = TestPostgres.server().createDatabase().connect();
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + name + " WITH (FORCE)");
      }

      assertThat(glust.get("/api/v1/services").statusCode()).isEqualTo(503); // untraced caller
      assertThat(
              glust
                  .get(
                      "/api/v1/services",
                      "traceparent",
                      "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                  .statusCode())
          .isEqualTo(503);
    } finally {
      errors.detachAppender(lines);
    }

    assertThat(lines.lines).hasSize(2);
    // every query API request is traced once self-tracing is on: a new trace without a caller
    assertThat(lines.lines.get(0).get("trace_id").getAsString())
        .hasSize(32)
        .isNotEqualTo(CALLER_TRACE);
    JsonObject traced = lines.lines.get(1);
    assertThat(traced.get("message").getAsString()).startsWith("query failed");
    assertThat(traced.get("trace_id").getAsString()).isEqualTo(CALLER_TRACE);
    assertThat(traced.get("span_id").getAsString()).hasSize(16).isNotEqualTo(CALLER_SPAN);
  }

  /** The lines one logger writes, as the JSON console format writes them. */
  private static final class JsonLines extends AppenderBase<ILoggingEvent> {
    final List<JsonObject> lines = new CopyOnWriteArrayList<>();
    private final JsonLogLayout layout = new JsonLogLayout();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(JsonParser.parseString(layout.doLayout(event)).getAsJsonObject());
    }
  }
}
