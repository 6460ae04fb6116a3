package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks JSONB read back from PostgreSQL against what an OTel SDK sent, type by type, following the
 * encoding docs/storage.md documents (ints without and doubles with a decimal point, bytes
 * wrapped).
 */
final class StoredJson {
  private StoredJson() {}

  static void assertAttributes(String storedJson, Attributes expected) {
    JsonObject stored = JsonParser.parseString(storedJson).getAsJsonObject();
    Map<AttributeKey<?>, Object> map = expected.asMap();
    assertThat(stored.keySet())
        .containsExactlyInAnyOrderElementsOf(
            map.keySet().stream().map(AttributeKey::getKey).toList());
    map.forEach((key, value) -> assertAttribute(key.getKey(), stored.get(key.getKey()), value));
  }

  private static void assertAttribute(String key, JsonElement stored, Object value) {
    if (value instanceof List<?> list) {
      JsonArray array = stored.getAsJsonArray();
      assertThat(array.size()).as(key).isEqualTo(list.size());
      for (int i = 0; i < list.size(); i++) {
        assertAttribute(key + "[" + i + "]", array.get(i), list.get(i));
      }
    } else if (value instanceof String s) {
      assertThat(stored.getAsJsonPrimitive().isString()).as(key).isTrue();
      assertThat(stored.getAsString()).as(key).isEqualTo(s);
    } else if (value instanceof Boolean b) {
      assertThat(stored.getAsJsonPrimitive().isBoolean()).as(key).isTrue();
      assertThat(stored.getAsBoolean()).as(key).isEqualTo(b);
    } else if (value instanceof Long l) {
      assertThat(stored.getAsJsonPrimitive().isNumber()).as(key).isTrue();
      assertThat(stored.getAsString()).as(key + " stays an integer").isEqualTo(Long.toString(l));
    } else if (value instanceof Double d) {
      assertThat(stored.getAsJsonPrimitive().isNumber()).as(key).isTrue();
      assertThat(stored.getAsString()).as(key + " stays a double").contains(".");
      assertThat(stored.getAsDouble()).as(key).isEqualTo(d);
    } else {
      throw new AssertionError("unexpected attribute type " + value.getClass());
    }
  }

  static void assertValue(String storedJson, Value<?> expected) {
    assertValue("body", JsonParser.parseString(storedJson), expected);
  }

  @SuppressWarnings("unchecked")
  private static void assertValue(String path, JsonElement stored, Value<?> expected) {
    switch (expected.getType()) {
      case KEY_VALUE_LIST -> {
        List<KeyValue> entries = (List<KeyValue>) expected.getValue();
        JsonObject object = stored.getAsJsonObject();
        assertThat(object.size()).as(path).isEqualTo(entries.size());
        for (KeyValue kv : entries) {
          assertValue(path + "." + kv.getKey(), object.get(kv.getKey()), kv.getValue());
        }
      }
      case ARRAY -> {
        List<Value<?>> values = (List<Value<?>>) expected.getValue();
        JsonArray array = stored.getAsJsonArray();
        assertThat(array.size()).as(path).isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
          assertValue(path + "[" + i + "]", array.get(i), values.get(i));
        }
      }
      case BYTES -> {
        ByteBuffer buffer = (ByteBuffer) expected.getValue();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        assertThat(stored.getAsJsonObject().get("bytesValue").getAsString())
            .as(path)
            .isEqualTo(Base64.getEncoder().encodeToString(bytes));
      }
      case EMPTY -> assertThat(stored.isJsonNull()).as(path).isTrue();
      default -> assertAttribute(path, stored, expected.getValue());
    }
  }
}
