package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;

/** Every stored field of SDK-made spans and logs compared with what the SDK sent. */
final class StoredTelemetry {
  private static final HexFormat HEX = HexFormat.of();

  private StoredTelemetry() {}

  static void assertSpanStored(TestPostgres.Database db, String service, SpanData expected)
      throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("SELECT * FROM span_records WHERE trace_id = ? AND span_id = ?")) {
      s.setBytes(1, HEX.parseHex(expected.getTraceId()));
      s.setBytes(2, HEX.parseHex(expected.getSpanId()));
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("span %s stored", expected.getName()).isTrue();
        assertThat(rs.getString("service_name")).isEqualTo(service);
        assertThat(rs.getString("span_name")).isEqualTo(expected.getName());
        assertThat(rs.getInt("span_kind")).isEqualTo(expected.getKind().ordinal() + 1);
        assertThat(rs.getLong("start_time_unix_nano")).isEqualTo(expected.getStartEpochNanos());
        assertThat(rs.getLong("end_time_unix_nano")).isEqualTo(expected.getEndEpochNanos());
        byte[] parent = rs.getBytes("parent_span_id");
        if (expected.getParentSpanContext().isValid()) {
          assertThat(parent).isEqualTo(HEX.parseHex(expected.getParentSpanId()));
        } else {
          assertThat(parent).isNull();
        }
        assertThat(rs.getInt("flags") & 0xFF)
            .isEqualTo(expected.getSpanContext().getTraceFlags().asByte());
        int status =
            expected.getStatus().getStatusCode() == StatusCode.ERROR
                ? 2
                : expected.getStatus().getStatusCode() == StatusCode.OK ? 1 : 0;
        assertThat(rs.getInt("status_code")).isEqualTo(status);
        assertThat(rs.getString("status_message")).isEqualTo(expected.getStatus().getDescription());
        StoredJson.assertAttributes(rs.getString("attributes"), expected.getAttributes());
        StoredJson.assertAttributes(
            rs.getString("resource_attributes"), expected.getResource().getAttributes());
        assertThat(rs.getString("scope_name")).isEqualTo(SdkSample.SCOPE);
        assertThat(rs.getString("scope_version")).isEqualTo("9.9.9");
        assertEvents(rs.getString("events"), expected.getEvents());
        assertLinks(rs.getString("links"), expected.getLinks());
        assertThat(rs.next()).as("stored once").isFalse();
      }
    }
  }

  private static void assertEvents(String json, List<EventData> expected) {
    var stored = com.google.gson.JsonParser.parseString(json).getAsJsonArray();
    assertThat(stored.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      var event = stored.get(i).getAsJsonObject();
      assertThat(event.get("name").getAsString()).isEqualTo(expected.get(i).getName());
      assertThat(event.get("timeUnixNano").getAsLong()).isEqualTo(expected.get(i).getEpochNanos());
      StoredJson.assertAttributes(
          event.get("attributes").toString(), expected.get(i).getAttributes());
    }
  }

  private static void assertLinks(String json, List<LinkData> expected) {
    var stored = com.google.gson.JsonParser.parseString(json).getAsJsonArray();
    assertThat(stored.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      var link = stored.get(i).getAsJsonObject();
      assertThat(link.get("traceId").getAsString())
          .isEqualTo(expected.get(i).getSpanContext().getTraceId());
      assertThat(link.get("spanId").getAsString())
          .isEqualTo(expected.get(i).getSpanContext().getSpanId());
      StoredJson.assertAttributes(
          link.get("attributes").toString(), expected.get(i).getAttributes());
    }
  }

  /** The service's stored log records, in time order, are exactly {@code sent}. */
  static void assertLogsStored(TestPostgres.Database db, String service, List<LogRecordData> sent)
      throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT *, body::text AS body_text FROM log_records WHERE service_name = ?"
                    + " ORDER BY time_unix_nano")) {
      s.setString(1, service);
      try (ResultSet rs = s.executeQuery()) {
        for (LogRecordData expected : sent) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("time_unix_nano")).isEqualTo(expected.getTimestampEpochNanos());
          assertThat(rs.getLong("observed_time_unix_nano"))
              .isEqualTo(expected.getObservedTimestampEpochNanos());
          assertThat(rs.getInt("severity_number"))
              .isEqualTo(expected.getSeverity().getSeverityNumber());
          assertThat(rs.getString("severity_text"))
              .isEqualTo(expected.getSeverityText() == null ? "" : expected.getSeverityText());
          StoredJson.assertValue(rs.getString("body_text"), expected.getBodyValue());
          StoredJson.assertAttributes(rs.getString("log_attributes"), expected.getAttributes());
          StoredJson.assertAttributes(
              rs.getString("resource_attributes"), expected.getResource().getAttributes());
          assertThat(rs.getString("scope_name")).isEqualTo(SdkSample.SCOPE);
          if (expected.getSpanContext().isValid()) {
            assertThat(rs.getBytes("trace_id"))
                .isEqualTo(HEX.parseHex(expected.getSpanContext().getTraceId()));
            assertThat(rs.getBytes("span_id"))
                .isEqualTo(HEX.parseHex(expected.getSpanContext().getSpanId()));
          } else {
            assertThat(rs.getBytes("trace_id")).isNull();
          }
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
