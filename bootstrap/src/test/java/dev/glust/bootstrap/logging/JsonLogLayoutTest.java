package dev.glust.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class JsonLogLayoutTest {
  // SLF4J's context: it holds the MDC the layout reads
  private final Logger logger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.glust.Example");
  private final JsonLogLayout layout = new JsonLogLayout();

  private JsonObject layOut(String message, Throwable thrown) {
    LoggingEvent event =
        new LoggingEvent(Logger.FQCN, logger, Level.WARN, message, thrown, new Object[] {"x"});
    String line = layout.doLayout(event);
    assertThat(line).endsWith("\n").hasLineCount(1);
    return JsonParser.parseString(line).getAsJsonObject();
  }

  @Test
  void writesTheFieldsLogPipelinesQueryBy() {
    JsonObject line = layOut("value \"{}\" \\ / \t\u0001 ünï", null);
    assertThat(line.keySet()).containsExactly("@timestamp", "level", "logger", "thread", "message");
    assertThat(OffsetDateTime.parse(line.get("@timestamp").getAsString()))
        .isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now().plusMinutes(1));
    assertThat(line.get("level").getAsString()).isEqualTo("WARN");
    assertThat(line.get("logger").getAsString()).isEqualTo("dev.glust.Example");
    assertThat(line.get("thread").getAsString()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.get("message").getAsString()).isEqualTo("value \"x\" \\ / \t\u0001 ünï");
  }

  @Test
  void writesTheStackTraceAsText() {
    JsonObject line = layOut("failed", new IllegalStateException("broken"));
    assertThat(line.get("exception").getAsString())
        .startsWith("java.lang.IllegalStateException: broken")
        .contains("\tat dev.glust.bootstrap.logging.JsonLogLayoutTest");
  }

  @Test
  void namesTheTraceOfATracedRequest() {
    TraceLogContext trace =
        new TraceLogContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    MDC.put(TraceLogContext.TRACE_ID, "outer");
    Map<String, String> before = trace.updateThreadContext();
    try {
      JsonObject line = layOut("traced", null);
      assertThat(line.get("trace_id").getAsString()).isEqualTo(trace.traceId());
      assertThat(line.get("span_id").getAsString()).isEqualTo(trace.spanId());
    } finally {
      trace.restoreThreadContext(before);
    }
    assertThat(MDC.get(TraceLogContext.TRACE_ID)).isEqualTo("outer");
    assertThat(MDC.get(TraceLogContext.SPAN_ID)).isNull();
    MDC.clear();
  }
}
