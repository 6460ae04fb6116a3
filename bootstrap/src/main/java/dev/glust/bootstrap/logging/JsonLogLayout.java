package dev.glust.bootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per line with the fields log pipelines query by: {@code @timestamp} (ISO-8601
 * with offset), {@code level}, {@code logger}, {@code thread}, {@code message}, {@code exception}
 * (the stack trace as text, when there is one), and {@code trace_id}/{@code span_id} when the line
 * belongs to a traced request (taken from the MDC, see {@link TraceLogContext}).
 *
 * <p>Hand-written rather than logstash-logback-encoder: that library is not available to this
 * offline build, and the six fields need no more than escaping.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    field(json, "@timestamp", TIMESTAMP.format(timestamp(event)));
    json.append(',');
    field(json, "level", event.getLevel().toString());
    json.append(',');
    field(json, "logger", event.getLoggerName());
    json.append(',');
    field(json, "thread", event.getThreadName());
    json.append(',');
    field(json, "message", event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      json.append(',');
      field(json, "exception", ThrowableProxyUtil.asString(thrown));
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    for (String key : TraceLogContext.KEYS) {
      String value = mdc.get(key);
      if (value != null) {
        json.append(',');
        field(json, key, value);
      }
    }
    return json.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private OffsetDateTime timestamp(ILoggingEvent event) {
    Instant instant = event.getInstant();
    return OffsetDateTime.ofInstant(
        instant != null ? instant : Instant.ofEpochMilli(event.getTimeStamp()), zone);
  }

  private static void field(StringBuilder json, String name, String value) {
    string(json, name);
    json.append(':');
    string(json, value == null ? "" : value);
  }

  /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped, nothing else. */
  static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
