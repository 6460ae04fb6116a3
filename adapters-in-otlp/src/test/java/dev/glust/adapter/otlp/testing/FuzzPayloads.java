package dev.glust.adapter.otlp.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Fuzzed OTLP export requests: random bytes, mutated protobuf encodings (bit flips, truncations,
 * splices, insertions), random JSON documents and mutated OTLP/JSON (wrong types, huge numbers,
 * deep nesting, bad hex ids, NaN/Infinity, NUL characters, invalid UTF-8, duplicate keys, very long
 * strings), each sometimes gzipped, sometimes with broken gzip, rarely with an unsupported media
 * type. A receiver must answer every one with a client status, never a server error.
 */
public final class FuzzPayloads {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final String[] OTLP_KEYS = {
    "resourceSpans",
    "resourceLogs",
    "scopeSpans",
    "scopeLogs",
    "spans",
    "logRecords",
    "resource",
    "attributes",
    "key",
    "value",
    "stringValue",
    "intValue",
    "doubleValue",
    "boolValue",
    "arrayValue",
    "kvlistValue",
    "values",
    "bytesValue",
    "traceId",
    "spanId",
    "name",
    "body",
    "startTimeUnixNano",
    "timeUnixNano",
    "severityNumber",
    "kind",
    "status",
    "code",
    "events"
  };

  private FuzzPayloads() {}

  /** Every kind of fuzzed request for one signal, as the HTTP receiver gets it. */
  public static Arbitrary<FuzzRequest> http(FuzzSignal signal) {
    return Arbitraries.frequencyOf(
            Tuple.of(5, protobuf(signal)),
            Tuple.of(5, json(signal)),
            Tuple.of(1, unsupportedMediaType(signal)))
        .flatMap(r -> gzipped(r));
  }

  /** The protobuf requests (gRPC carries nothing else), sometimes in (broken) gzip frames. */
  public static Arbitrary<FuzzRequest> grpc(FuzzSignal signal) {
    return protobuf(signal).flatMap(r -> gzipped(r));
  }

  /** Valid encodings, mutated ones, and random bytes. */
  public static Arbitrary<FuzzRequest> protobuf(FuzzSignal signal) {
    Arbitrary<byte[]> valid = signal.requests().map(Message::toByteArray);
    return Combinators.combine(
            valid, valid, Arbitraries.of(ProtobufMutation.values()), Arbitraries.randoms())
        .as(
            (a, b, mutation, random) ->
                new FuzzRequest(
                    signal, PROTOBUF, "identity", mutation.apply(a, b, random), mutation.name()));
  }

  /** Random JSON documents, valid OTLP/JSON, and mutated OTLP/JSON. */
  public static Arbitrary<FuzzRequest> json(FuzzSignal signal) {
    return Combinators.combine(
            signal.requests(), Arbitraries.of(JsonMutation.values()), Arbitraries.randoms())
        .as(
            (message, mutation, random) ->
                new FuzzRequest(
                    signal, JSON, "identity", mutation.apply(message, random), mutation.name()));
  }

  private static Arbitrary<FuzzRequest> unsupportedMediaType(FuzzSignal signal) {
    Arbitrary<String> types =
        Arbitraries.of("text/plain", "application/protobuf", "", "application/xml", "*/*");
    return Combinators.combine(types, Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
        .as((type, body) -> new FuzzRequest(signal, type, "identity", body, "media type"));
  }

  /** Leaves most requests alone; gzips some, some with corrupt gzip, some with another coding. */
  private static Arbitrary<FuzzRequest> gzipped(FuzzRequest plain) {
    return Arbitraries.frequencyOf(
            Tuple.of(14, Arbitraries.just(GzipMutation.NONE)),
            Tuple.of(3, Arbitraries.just(GzipMutation.VALID)),
            Tuple.of(1, Arbitraries.just(GzipMutation.NOT_GZIP)),
            Tuple.of(1, Arbitraries.just(GzipMutation.TRUNCATED)),
            Tuple.of(1, Arbitraries.just(GzipMutation.CORRUPTED)))
        .flatMap(mutation -> Arbitraries.randoms().map(random -> mutation.apply(plain, random)));
  }

  enum GzipMutation {
    NONE,
    VALID,
    NOT_GZIP,
    TRUNCATED,
    CORRUPTED;

    FuzzRequest apply(FuzzRequest r, Random random) {
      if (this == NONE) {
        return r;
      }
      byte[] gz = gzip(r.body());
      byte[] body =
          switch (this) {
            case VALID -> gz;
            case NOT_GZIP -> r.body();
            case TRUNCATED -> Arrays.copyOf(gz, random.nextInt(gz.length));
            default -> flipBits(gz, random, 1 + random.nextInt(4));
          };
      return new FuzzRequest(r.signal(), r.contentType(), "gzip", body, r.how() + ", gzip " + this);
    }
  }

  enum ProtobufMutation {
    UNCHANGED,
    RANDOM_BYTES,
    BIT_FLIPS,
    TRUNCATED,
    SPLICED,
    INSERTED_BYTES,
    CONCATENATED,
    REPEATED_REGION;

    byte[] apply(byte[] a, byte[] b, Random random) {
      return switch (this) {
        case UNCHANGED -> a;
        case RANDOM_BYTES -> randomBytes(random, random.nextInt(random.nextBoolean() ? 16 : 2048));
        case BIT_FLIPS -> flipBits(a, random, 1 + random.nextInt(8));
        case TRUNCATED -> Arrays.copyOf(a, a.length == 0 ? 0 : random.nextInt(a.length));
        case SPLICED ->
            concat(
                Arrays.copyOf(a, random.nextInt(a.length + 1)),
                Arrays.copyOfRange(b, random.nextInt(b.length + 1), b.length));
        case INSERTED_BYTES -> insert(a, random.nextInt(a.length + 1), randomBytes(random, 8));
        case CONCATENATED -> concat(a, b); // protobuf merges: still a valid message
        case REPEATED_REGION -> repeatRegion(a, random);
      };
    }
  }

  enum JsonMutation {
    UNCHANGED,
    RANDOM_DOCUMENT,
    WRONG_TYPE,
    HUGE_NUMBER,
    DEEP_NESTING,
    INVALID_HEX_ID,
    NAN_INFINITY,
    NUL_CHARACTERS,
    LONG_STRING,
    DUPLICATE_KEYS,
    INVALID_UTF8,
    TRUNCATED;

    byte[] apply(Message message, Random random) {
      if (this == RANDOM_DOCUMENT) {
        return randomJson(random, 0).toString().getBytes(StandardCharsets.UTF_8);
      }
      JsonObject tree = otlpJson(message);
      switch (this) {
        case WRONG_TYPE -> replaceRandomValue(tree, random, () -> randomJson(random, 3));
        case HUGE_NUMBER ->
            replaceRandomValue(
                tree,
                random,
                () ->
                    new JsonPrimitive(
                        random.nextBoolean()
                            ? new BigInteger(200, random)
                            : BigInteger.TWO.pow(64).negate()));
        case DEEP_NESTING -> replaceRandomValue(tree, random, () -> nest(random.nextInt(2000)));
        case INVALID_HEX_ID ->
            replaceRandomValue(
                tree,
                random,
                () -> new JsonPrimitive(random.nextBoolean() ? "xyz0123" : "abc"),
                ID_FIELDS::contains);
        case NAN_INFINITY ->
            replaceRandomValue(
                tree,
                random,
                () -> new JsonPrimitive(pick(random, "NaN", "Infinity", "-Infinity", "nan")));
        case NUL_CHARACTERS -> {
          replaceRandomValue(tree, random, () -> new JsonPrimitive("a\u0000b"));
          renameRandomKey(tree, random, "k\u0000ey");
        }
        case LONG_STRING ->
            replaceRandomValue(tree, random, () -> new JsonPrimitive("x".repeat(70_000)));
        default -> {}
      }
      String text = tree.toString();
      return switch (this) {
        case DUPLICATE_KEYS -> duplicateKey(text).getBytes(StandardCharsets.UTF_8);
        case INVALID_UTF8 -> invalidUtf8(text.getBytes(StandardCharsets.UTF_8), random);
        case TRUNCATED ->
            Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), random.nextInt(text.length() + 1));
        case NAN_INFINITY ->
            (random.nextBoolean() ? text : text.replace("\"NaN\"", "NaN"))
                .getBytes(StandardCharsets.UTF_8);
        default -> text.getBytes(StandardCharsets.UTF_8);
      };
    }
  }

  /** OTLP/JSON of a message: protobuf's JSON mapping with ids in hex, as OTLP wants them. */
  public static JsonObject otlpJson(Message message) {
    try {
      JsonObject tree =
          JsonParser.parseString(JsonFormat.printer().print(message)).getAsJsonObject();
      walk(
          tree,
          (object) -> {
            for (Map.Entry<String, JsonElement> field : object.entrySet()) {
              if (ID_FIELDS.contains(field.getKey()) && field.getValue().isJsonPrimitive()) {
                byte[] id = Base64.getDecoder().decode(field.getValue().getAsString());
                field.setValue(new JsonPrimitive(HexFormat.of().formatHex(id)));
              }
            }
          });
      return tree;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void walk(JsonElement element, Consumer<JsonObject> visit) {
    if (element.isJsonObject()) {
      visit.accept(element.getAsJsonObject());
      element.getAsJsonObject().entrySet().forEach(e -> walk(e.getValue(), visit));
    } else if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(e -> walk(e, visit));
    }
  }

  /** Replaces the value of a random field (one whose key passes {@code keys}) of the tree. */
  private static void replaceRandomValue(
      JsonObject tree,
      Random random,
      java.util.function.Supplier<JsonElement> value,
      java.util.function.Predicate<String> keys) {
    List<Map.Entry<String, JsonElement>> fields = new ArrayList<>();
    walk(tree, o -> o.entrySet().stream().filter(e -> keys.test(e.getKey())).forEach(fields::add));
    if (fields.isEmpty()) {
      tree.add(pick(random, OTLP_KEYS), value.get());
    } else {
      fields.get(random.nextInt(fields.size())).setValue(value.get());
    }
  }

  private static void replaceRandomValue(
      JsonObject tree, Random random, java.util.function.Supplier<JsonElement> value) {
    replaceRandomValue(tree, random, value, key -> true);
  }

  private static void renameRandomKey(JsonObject tree, Random random, String newKey) {
    List<JsonObject> objects = new ArrayList<>();
    walk(tree, objects::add);
    JsonObject target = objects.get(random.nextInt(objects.size()));
    List<String> keys = new ArrayList<>(target.keySet());
    if (!keys.isEmpty()) {
      String key = keys.get(random.nextInt(keys.size()));
      target.add(newKey + key, target.remove(key));
    }
  }

  /** Random JSON with OTLP's keys, so the parser's typed paths are reached too. */
  static JsonElement randomJson(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 6 : 8);
    return switch (kind) {
      case 0 -> JsonNull.INSTANCE;
      case 1 -> new JsonPrimitive(random.nextBoolean());
      case 2 -> new JsonPrimitive(random.nextLong());
      case 3 -> new JsonPrimitive(random.nextDouble() * Math.pow(10, random.nextInt(40)));
      case 4 -> new JsonPrimitive(pick(random, "", "0", "-1", "NaN", "deadbeef", "\u0000", "é"));
      case 5 -> new JsonPrimitive(HexFormat.of().formatHex(randomBytes(random, 16)));
      case 6 -> {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomJson(random, depth + 1));
        }
        yield array;
      }
      default -> {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.add(pick(random, OTLP_KEYS), randomJson(random, depth + 1));
        }
        yield object;
      }
    };
  }

  private static JsonElement nest(int depth) {
    JsonElement inner = new JsonPrimitive(1);
    for (int i = 0; i < depth; i++) {
      JsonArray array = new JsonArray();
      array.add(inner);
      inner = array;
    }
    return inner;
  }

  /** The first object key repeated with another value (JSON parsers disagree on these). */
  private static String duplicateKey(String json) {
    int colon = json.indexOf("\":");
    if (!json.startsWith("{\"") || colon < 0) {
      return json;
    }
    String key = json.substring(1, colon + 1);
    return "{" + key + ":[]," + json.substring(1);
  }

  private static byte[] invalidUtf8(byte[] text, Random random) {
    byte[][] bad = {
      {(byte) 0xFF},
      {(byte) 0xC3, 0x28},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F},
      {(byte) 0xC0, (byte) 0x80}
    };
    int quote = -1;
    for (int i = 0; i < 3 * text.length && quote < 0; i++) { // prefer inside a string
      int at = random.nextInt(Math.max(1, text.length));
      if (at < text.length && text[at] == '"') {
        quote = at + 1;
      }
    }
    int at = quote < 0 ? random.nextInt(text.length + 1) : quote;
    return insert(text, at, bad[random.nextInt(bad.length)]);
  }

  static byte[] flipBits(byte[] bytes, Random random, int flips) {
    byte[] out = bytes.clone();
    for (int i = 0; i < flips && out.length > 0; i++) {
      int bit = random.nextInt(out.length * 8);
      out[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return out;
  }

  private static byte[] repeatRegion(byte[] a, Random random) {
    if (a.length == 0) {
      return a;
    }
    int from = random.nextInt(a.length);
    int to = from + random.nextInt(a.length - from) + 1;
    return insert(a, to, Arrays.copyOfRange(a, from, to));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return insert(a, a.length, b);
  }

  private static byte[] insert(byte[] into, int at, byte[] what) {
    byte[] out = new byte[into.length + what.length];
    System.arraycopy(into, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(into, at, out, at + what.length, into.length - at);
    return out;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
