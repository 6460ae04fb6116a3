package dev.glust.adapter.otlp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON on top of protobuf's JsonFormat. JsonFormat already accepts what OTLP allows (enums as
 * integers, 64-bit integers as strings or numbers, lowerCamelCase or original field names) and is
 * told to ignore unknown fields. The one quirk it lacks: OTLP writes trace and span ids as hex,
 * where protobuf's mapping expects base64 for bytes, so ids are rewritten before parsing.
 */
final class OtlpJson {
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  static void merge(byte[] body, Message.Builder into) {
    try {
      JsonElement tree = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      if (!tree.isJsonObject()) {
        throw new MalformedRequestException("OTLP/JSON body must be a JSON object", null);
      }
      hexIdsToBase64(tree);
      PARSER.merge(tree.toString(), into);
    } catch (JsonParseException | InvalidProtocolBufferException | IllegalStateException e) {
      throw new MalformedRequestException("malformed OTLP/JSON: " + e.getMessage(), e);
    }
  }

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a response message could not be printed as JSON", e);
    }
  }

  /**
   * Ids only ever appear as field names of messages (attribute keys are values), so a walk is safe.
   */
  private static void hexIdsToBase64(JsonElement element) {
    if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(OtlpJson::hexIdsToBase64);
    } else if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      for (Map.Entry<String, JsonElement> field : object.entrySet()) {
        JsonElement value = field.getValue();
        if (ID_FIELDS.contains(field.getKey())
            && value.isJsonPrimitive()
            && value.getAsJsonPrimitive().isString()) {
          field.setValue(new JsonPrimitive(hexToBase64(field.getKey(), value.getAsString())));
        } else {
          hexIdsToBase64(value);
        }
      }
    }
  }

  private static String hexToBase64(String field, String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(field + " is not a hex string: '" + hex + "'", e);
    }
  }
}
