package dev.glust.adapter.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.Exemplar;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Typed OTLP values ↔ JSONB. Strings, booleans and arrays are themselves, key-value lists are
 * objects, ints are integers, doubles always carry a decimal point (JSONB keeps {@code 1.0} apart
 * from {@code 1}), and the two values JSON has no literal for are wrapped in OTLP/JSON's own names:
 * {@code {"bytesValue": "<base64>"}} and {@code {"doubleValue": "NaN" | "Infinity" | "-Infinity"}}.
 */
final class JsonbCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String BYTES = "bytesValue";
  private static final String DOUBLE = "doubleValue";

  private JsonbCodec() {}

  // ---- writing ----

  /** Most spans have no events or links, many records no attributes: no encoding for those. */
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private static final byte[] EMPTY_ARRAY = {'[', ']'};

  static byte[] attributes(Attributes attributes) {
    if (attributes.isEmpty()) {
      return EMPTY_OBJECT;
    }
    return json(g -> writeKeyValues(g, attributes.entries()));
  }

  static byte[] value(AnyValue value) {
    return json(g -> writeValue(g, value));
  }

  static byte[] events(List<SpanEvent> events) {
    return array(
        events,
        (g, e) -> {
          g.writeNumberField("timeUnixNano", e.timeUnixNano());
          g.writeStringField("name", e.name());
          writeAttributeFields(g, e.attributes());
        });
  }

  static byte[] links(List<SpanLink> links) {
    return array(
        links,
        (g, l) -> {
          g.writeStringField("traceId", l.traceId().toHex());
          g.writeStringField("spanId", l.spanId().toHex());
          g.writeStringField("traceState", l.traceState());
          g.writeNumberField("flags", l.flags());
          writeAttributeFields(g, l.attributes());
        });
  }

  /**
   * Exemplars in the shape of span events (migration V4): the value as the attribute value of its
   * OTLP type, the ids in hex and absent when the exemplar has none.
   */
  static byte[] exemplars(List<Exemplar> exemplars) {
    return array(
        exemplars,
        (g, e) -> {
          g.writeNumberField("timeUnixNano", e.timeUnixNano());
          g.writeFieldName("value");
          writeValue(
              g,
              e.value() instanceof Long l
                  ? AnyValue.of(l.longValue())
                  : AnyValue.of(e.value().doubleValue()));
          if (e.traceId() != null) {
            g.writeStringField("traceId", e.traceId().toHex());
          }
          if (e.spanId() != null) {
            g.writeStringField("spanId", e.spanId().toHex());
          }
          g.writeFieldName("filteredAttributes");
          writeKeyValues(g, e.filteredAttributes().entries());
          g.writeNumberField("droppedAttributesCount", e.filteredAttributes().droppedCount());
        });
  }

  private interface FieldsWriter<T> {
    void write(JsonGenerator g, T item) throws IOException;
  }

  /** A JSON array with one object per item, its fields written by {@code fields}. */
  private static <T> byte[] array(List<T> items, FieldsWriter<T> fields) {
    if (items.isEmpty()) {
      return EMPTY_ARRAY;
    }
    return json(
        g -> {
          g.writeStartArray();
          for (T item : items) {
            g.writeStartObject();
            fields.write(g, item);
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  private static void writeAttributeFields(JsonGenerator g, Attributes attributes)
      throws IOException {
    g.writeFieldName("attributes");
    writeKeyValues(g, attributes.entries());
    g.writeNumberField("droppedAttributesCount", attributes.droppedCount());
  }

  private static void writeKeyValues(JsonGenerator g, List<Attribute> entries) throws IOException {
    g.writeStartObject();
    for (Attribute a : entries) {
      g.writeFieldName(a.key());
      writeValue(g, a.value());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, AnyValue value) throws IOException {
    if (value instanceof AnyValue.StringValue s) {
      g.writeString(s.value());
    } else if (value instanceof AnyValue.BoolValue b) {
      g.writeBoolean(b.value());
    } else if (value instanceof AnyValue.IntValue i) {
      g.writeNumber(i.value());
    } else if (value instanceof AnyValue.DoubleValue d) {
      writeDouble(g, d.value());
    } else if (value instanceof AnyValue.BytesValue b) {
      g.writeStartObject();
      g.writeFieldName(BYTES);
      g.writeBinary(b.value());
      g.writeEndObject();
    } else if (value instanceof AnyValue.ArrayValue a) {
      g.writeStartArray();
      for (AnyValue v : a.values()) {
        writeValue(g, v);
      }
      g.writeEndArray();
    } else if (value instanceof AnyValue.KeyValueListValue kv) {
      writeKeyValues(g, kv.values());
    } else {
      g.writeNull(); // EmptyValue
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      String plain = BigDecimal.valueOf(d).toPlainString();
      g.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
    } else {
      g.writeStartObject();
      g.writeStringField(DOUBLE, Double.toString(d));
      g.writeEndObject();
    }
  }

  private interface JsonWriting {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(JsonWriting writing) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      writing.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("JSON to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  // ---- reading ----

  static Attributes readAttributes(String json, int droppedCount) {
    return parse(json, p -> new Attributes(readKeyValues(p), droppedCount));
  }

  static AnyValue readValue(String json) {
    return json == null ? AnyValue.EMPTY : parse(json, JsonbCodec::readValue);
  }

  static List<SpanEvent> readEvents(String json) {
    return parse(
        json,
        p -> {
          List<SpanEvent> events = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            long time = 0;
            String name = "";
            List<Attribute> attributes = List.of();
            int dropped = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "timeUnixNano" -> time = p.getLongValue();
                case "name" -> name = p.getText();
                case "attributes" -> attributes = readKeyValues(p);
                case "droppedAttributesCount" -> dropped = p.getIntValue();
                default -> p.skipChildren();
              }
            }
            events.add(new SpanEvent(time, name, new Attributes(attributes, dropped)));
          }
          return events;
        });
  }

  static List<SpanLink> readLinks(String json) {
    return parse(
        json,
        p -> {
          List<SpanLink> links = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String traceId = "";
            String spanId = "";
            String traceState = "";
            int flags = 0;
            List<Attribute> attributes = List.of();
            int dropped = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "traceId" -> traceId = p.getText();
                case "spanId" -> spanId = p.getText();
                case "traceState" -> traceState = p.getText();
                case "flags" -> flags = p.getIntValue();
                case "attributes" -> attributes = readKeyValues(p);
                case "droppedAttributesCount" -> dropped = p.getIntValue();
                default -> p.skipChildren();
              }
            }
            links.add(
                new SpanLink(
                    TraceId.fromHex(traceId),
                    SpanId.fromHex(spanId),
                    traceState,
                    flags,
                    new Attributes(attributes, dropped)));
          }
          return links;
        });
  }

  /**
   * Exemplars as {@link #exemplars} writes them, for the query API: the value as a double, the
   * filtered attributes skipped (the API shows none). An id that is absent or not a valid id reads
   * as none.
   */
  static List<MetricExemplar> readExemplars(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    return parse(
        json,
        p -> {
          List<MetricExemplar> exemplars = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            long time = 0;
            double value = Double.NaN;
            String traceId = null;
            String spanId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "timeUnixNano" -> time = p.getLongValue();
                case "value" -> value = asDouble(readValue(p));
                case "traceId" -> traceId = p.getText();
                case "spanId" -> spanId = p.getText();
                default -> p.skipChildren();
              }
            }
            exemplars.add(
                new MetricExemplar(time, value, traceIdOrNone(traceId), spanIdOrNone(spanId)));
          }
          return exemplars;
        });
  }

  /** An exemplar's value: an int or a double (maybe wrapped, as NaN is); anything else is NaN. */
  private static double asDouble(AnyValue value) {
    if (value instanceof AnyValue.IntValue i) {
      return i.value();
    }
    return value instanceof AnyValue.DoubleValue d ? d.value() : Double.NaN;
  }

  private static TraceId traceIdOrNone(String hex) {
    try {
      return hex == null ? null : TraceId.fromHex(hex);
    } catch (InvalidTelemetryException invalid) {
      return null;
    }
  }

  private static SpanId spanIdOrNone(String hex) {
    try {
      return hex == null ? null : SpanId.fromHex(hex);
    } catch (InvalidTelemetryException invalid) {
      return null;
    }
  }

  /** The parser stands on START_OBJECT; returns after its END_OBJECT. */
  private static List<Attribute> readKeyValues(JsonParser p) throws IOException {
    List<Attribute> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      out.add(new Attribute(key, readValue(p)));
    }
    return out;
  }

  /** The parser stands on the value's first token. */
  private static AnyValue readValue(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return AnyValue.of(p.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return AnyValue.of(p.getBooleanValue());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? AnyValue.of(p.getDoubleValue())
            : AnyValue.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return AnyValue.of(p.getDoubleValue());
      case START_ARRAY:
        List<AnyValue> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          values.add(readValue(p));
        }
        return new AnyValue.ArrayValue(values);
      case START_OBJECT:
        return unwrap(readKeyValues(p));
      default:
        return AnyValue.EMPTY;
    }
  }

  /** {@code {"bytesValue": "..."}} and {@code {"doubleValue": "NaN"}} are wrapped values. */
  private static AnyValue unwrap(List<Attribute> object) {
    if (object.size() == 1 && object.get(0).value() instanceof AnyValue.StringValue s) {
      String key = object.get(0).key();
      try {
        if (key.equals(BYTES)) {
          return new AnyValue.BytesValue(Base64.getDecoder().decode(s.value()));
        }
        if (key.equals(DOUBLE)) {
          return AnyValue.of(Double.parseDouble(s.value()));
        }
      } catch (IllegalArgumentException notWrapped) {
        // an ordinary key-value list that happens to use the name
      }
    }
    return new AnyValue.KeyValueListValue(object);
  }

  private interface JsonReading<T> {
    T read(JsonParser p) throws IOException;
  }

  private static <T> T parse(String json, JsonReading<T> reading) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      return reading.read(p);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSONB is not JSON: " + json, e);
    }
  }
}
