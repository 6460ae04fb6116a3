package dev.glust.adapter.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A WHERE clause assembled from optional criteria, with its parameters bound in order. */
final class SqlFilter {
  private static final JsonFactory JSON = new JsonFactory();

  private final List<String> conditions = new ArrayList<>();
  private final List<Object> parameters = new ArrayList<>();

  SqlFilter where(String condition, Object... values) {
    conditions.add(condition);
    parameters.addAll(List.of(values));
    return this;
  }

  /**
   * Spans and logs reference their resource (migration V6): its attributes contain a JSON object
   * when the resource is one of the few whose attributes do (resources' GIN index).
   */
  static final String RESOURCE_ATTRIBUTES_CONTAIN =
      "resource_id IN (SELECT resource_id FROM resources WHERE attributes @> ?::jsonb)";

  /** Whether any stored resource's attributes contain one of the given JSON objects. */
  interface ResourceLookup {
    boolean anyContains(List<String> jsonObjects);
  }

  /** Asks the tenant's {@code resources} (its GIN index answers; it holds few rows). */
  static ResourceLookup resourcesIn(SqlReads reads, TenantScope tenant) {
    return jsonObjects ->
        reads
            .list(
                tenant,
                "matching resource attributes",
                "SELECT EXISTS (SELECT 1 FROM resources WHERE "
                    + String.join(
                        " OR ", Collections.nCopies(jsonObjects.size(), "attributes @> ?::jsonb"))
                    + ")",
                statement -> {
                  int i = 1;
                  for (String json : jsonObjects) {
                    statement.setString(i++, json);
                  }
                },
                rs -> rs.getBoolean(1))
            .get(0);
  }

  /**
   * Each {@code key=value} must match the record's own or its resource's attributes. The value is
   * matched as text and, when it reads as one, as number or boolean, so {@code 500} finds the int
   * 500 and the string "500" (each test is a containment a GIN index answers).
   *
   * <p>The resource test is left out when no stored resource matches: then the record's own
   * attributes are the whole test, which a sealed partition's GIN index answers (ORed with the
   * resource test, which no index of the partition answers, it would be a filter over every row in
   * the time range).
   *
   * @param resources tells whether any resource matches, before the query is built
   */
  SqlFilter attributes(Map<String, String> filters, String column, ResourceLookup resources) {
    filters.forEach(
        (key, value) -> {
          List<String> jsonObjects = candidates(key, value);
          List<String> alternatives = new ArrayList<>();
          for (String json : jsonObjects) {
            alternatives.add(column + " @> ?::jsonb");
            parameters.add(json);
          }
          if (resources.anyContains(jsonObjects)) {
            for (String json : jsonObjects) {
              alternatives.add(RESOURCE_ATTRIBUTES_CONTAIN);
              parameters.add(json);
            }
          }
          conditions.add("(" + String.join(" OR ", alternatives) + ")");
        });
    return this;
  }

  String sql() {
    return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
  }

  /** Binds the parameters from position 1; returns the next free position. */
  int bind(PreparedStatement statement) throws SQLException {
    int i = 1;
    for (Object p : parameters) {
      statement.setObject(i++, p);
    }
    return i;
  }

  static OffsetDateTime timestamp(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano).atOffset(ZoneOffset.UTC);
  }

  /** LIKE's wildcards in user text are literals. */
  static String containsPattern(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static List<String> candidates(String key, String value) {
    List<String> out = new ArrayList<>();
    out.add(json(key, g -> g.writeString(value)));
    if (value.equals("true") || value.equals("false")) {
      out.add(json(key, g -> g.writeBoolean(Boolean.parseBoolean(value))));
    }
    try {
      BigDecimal number = new BigDecimal(value);
      out.add(json(key, g -> g.writeNumber(number)));
    } catch (NumberFormatException notANumber) {
      // matched as text only
    }
    return out;
  }

  /** Writes one JSON value. */
  interface ValueWriter {
    void write(JsonGenerator g) throws IOException;
  }

  /** {@code {key: value}} as JSON text (a containment probe for a jsonb column). */
  static String json(String key, ValueWriter value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(key);
      value.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
