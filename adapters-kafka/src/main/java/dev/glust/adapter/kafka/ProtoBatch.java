package dev.glust.adapter.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The parts every signal's batch shares (src/main/proto/glust_batch.proto): the frame {version,
 * resources, scopes, records, descriptors}, attributes and values. A signal's codec adds only its
 * record, and what its records share beyond resource and scope (a metric's descriptor) if any.
 */
final class ProtoBatch {
  /** Deeper values than any the domain keeps (its limit is 10): a guard against hostile input. */
  private static final int MAX_DEPTH = 64;

  private ProtoBatch() {}

  /** Writes one record; resources and scopes become indexes into the batch's tables. */
  interface RecordWriter<T> {
    ProtoOut write(T record, Origins origins);
  }

  /** Reads one record (its message bytes are the stream's limit) given the batch's tables. */
  interface RecordReader<T> {
    T read(CodedInputStream in, Origins.Tables tables) throws IOException;
  }

  static <T> byte[] encode(List<T> records, RecordWriter<T> writer) {
    Origins origins = new Origins();
    List<byte[]> encoded = new ArrayList<>(records.size());
    for (T record : records) {
      encoded.add(writer.write(record, origins).toBytes());
    }
    ProtoOut batch = new ProtoOut().uint32(1, BatchCodec.VERSION);
    origins.resources.forEach(r -> batch.message(2, resource(r)));
    origins.scopes.forEach(s -> batch.message(3, scope(s)));
    encoded.forEach(bytes -> batch.bytesAlways(4, bytes));
    origins.descriptors.forEach(d -> batch.message(5, d));
    return batch.toBytes();
  }

  static <T> List<T> decode(byte[] value, RecordReader<T> reader) throws MalformedBatchException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(value);
      int version = 0;
      Origins.Tables tables =
          new Origins.Tables(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      List<byte[]> records = new ArrayList<>();
      for (int tag; (tag = in.readTag()) != 0; ) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> version = in.readUInt32();
          case 2 -> tables.resources().add(nested(in, ProtoBatch::readResource));
          case 3 -> tables.scopes().add(nested(in, ProtoBatch::readScope));
          case 4 -> records.add(in.readByteArray());
          case 5 -> tables.descriptors().add(in.readByteArray());
          default -> in.skipField(tag);
        }
      }
      if (version != BatchCodec.VERSION) {
        throw new MalformedBatchException(
            "unsupported batch encoding version " + version + " (this reader knows 1)", null);
      }
      List<T> decoded = new ArrayList<>(records.size());
      for (byte[] record : records) {
        CodedInputStream recordIn = CodedInputStream.newInstance(record);
        decoded.add(reader.read(recordIn, tables));
      }
      return decoded;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // a truncated or foreign value, an index out of range, or a value the domain refuses
      throw new MalformedBatchException("undecodable batch: " + e, e);
    }
  }

  interface Reader<R> {
    R read(CodedInputStream in) throws IOException;
  }

  /** Reads a length-delimited message in place, without copying its bytes. */
  static <R> R nested(CodedInputStream in, Reader<R> reader) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    R read = reader.read(in);
    in.popLimit(limit);
    return read;
  }

  /**
   * A packed repeated scalar (or, as protobuf allows, one unpacked element of it) added to {@code
   * into}; {@code element} reads one, e.g. {@code CodedInputStream::readUInt64}.
   */
  static <R> void readPacked(CodedInputStream in, int tag, Reader<R> element, List<R> into)
      throws IOException {
    if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      into.add(element.read(in));
      return;
    }
    int limit = in.pushLimit(in.readRawVarint32());
    while (!in.isAtEnd()) {
      into.add(element.read(in));
    }
    in.popLimit(limit);
  }

  static ProtoOut attributes(Attributes attributes) {
    ProtoOut out = new ProtoOut();
    for (Attribute a : attributes.entries()) {
      out.message(1, keyValue(a, 0));
    }
    return out.uint32(2, attributes.droppedCount());
  }

  static Attributes readAttributes(CodedInputStream in) throws IOException {
    List<Attribute> entries = new ArrayList<>();
    int dropped = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> entries.add(nested(in, kv -> readKeyValue(kv, 0)));
        case 2 -> dropped = in.readUInt32();
        default -> in.skipField(tag);
      }
    }
    return new Attributes(entries, dropped);
  }

  private static ProtoOut keyValue(Attribute a, int depth) {
    return new ProtoOut().string(1, a.key()).message(2, value(a.value(), depth));
  }

  private static Attribute readKeyValue(CodedInputStream in, int depth) throws IOException {
    String key = "";
    AnyValue value = AnyValue.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> key = in.readString();
        case 2 -> value = nested(in, v -> readValue(v, depth));
        default -> in.skipField(tag);
      }
    }
    return new Attribute(key, value);
  }

  static ProtoOut value(AnyValue value, int depth) {
    ProtoOut out = new ProtoOut();
    if (value instanceof AnyValue.StringValue s) {
      out.stringAlways(1, s.value());
    } else if (value instanceof AnyValue.BoolValue b) {
      out.boolAlways(2, b.value());
    } else if (value instanceof AnyValue.IntValue i) {
      out.sint64Always(3, i.value());
    } else if (value instanceof AnyValue.DoubleValue d) {
      out.doubleAlways(4, d.value());
    } else if (value instanceof AnyValue.ArrayValue array) {
      ProtoOut values = new ProtoOut();
      array.values().forEach(v -> values.message(1, value(v, depth + 1)));
      out.message(5, values);
    } else if (value instanceof AnyValue.KeyValueListValue list) {
      ProtoOut values = new ProtoOut();
      list.values().forEach(kv -> values.message(1, keyValue(kv, depth + 1)));
      out.message(6, values);
    } else if (value instanceof AnyValue.BytesValue bytes) {
      out.bytesAlways(7, bytes.value());
    }
    return out; // EmptyValue: no field
  }

  static AnyValue readValue(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("values nested deeper than " + MAX_DEPTH);
    }
    AnyValue value = AnyValue.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> value = AnyValue.of(in.readString());
        case 2 -> value = AnyValue.of(in.readBool());
        case 3 -> value = AnyValue.of(in.readSInt64());
        case 4 -> value = AnyValue.of(in.readDouble());
        case 5 -> value = new AnyValue.ArrayValue(nested(in, a -> readValues(a, depth + 1)));
        case 6 -> value = new AnyValue.KeyValueListValue(nested(in, l -> readList(l, depth + 1)));
        case 7 -> value = new AnyValue.BytesValue(in.readByteArray());
        default -> in.skipField(tag);
      }
    }
    return value;
  }

  private static List<AnyValue> readValues(CodedInputStream in, int depth) throws IOException {
    List<AnyValue> values = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        values.add(nested(in, v -> readValue(v, depth)));
      } else {
        in.skipField(tag);
      }
    }
    return values;
  }

  private static List<Attribute> readList(CodedInputStream in, int depth) throws IOException {
    List<Attribute> values = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        values.add(nested(in, kv -> readKeyValue(kv, depth)));
      } else {
        in.skipField(tag);
      }
    }
    return values;
  }

  private static ProtoOut resource(Resource resource) {
    return new ProtoOut()
        .message(1, attributes(resource.attributes()))
        .string(2, resource.schemaUrl());
  }

  private static Resource readResource(CodedInputStream in) throws IOException {
    Attributes attributes = Attributes.EMPTY;
    String schemaUrl = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> attributes = nested(in, ProtoBatch::readAttributes);
        case 2 -> schemaUrl = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Resource(attributes, schemaUrl);
  }

  private static ProtoOut scope(InstrumentationScope scope) {
    return new ProtoOut()
        .string(1, scope.name())
        .string(2, scope.version())
        .message(3, attributes(scope.attributes()))
        .string(4, scope.schemaUrl());
  }

  private static InstrumentationScope readScope(CodedInputStream in) throws IOException {
    String name = "";
    String version = "";
    Attributes attributes = Attributes.EMPTY;
    String schemaUrl = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> version = in.readString();
        case 3 -> attributes = nested(in, ProtoBatch::readAttributes);
        case 4 -> schemaUrl = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new InstrumentationScope(name, version, attributes, schemaUrl);
  }

  /**
   * The batch's resource and scope tables. Records of one export share these objects, so they are
   * told apart by identity: cheap, and an equal copy only costs one more table entry.
   */
  static final class Origins {
    private final Map<Resource, Integer> resourceIndex = new IdentityHashMap<>();
    private final Map<InstrumentationScope, Integer> scopeIndex = new IdentityHashMap<>();
    private final List<Resource> resources = new ArrayList<>();
    private final List<InstrumentationScope> scopes = new ArrayList<>();
    private final Map<Object, Integer> descriptorIndex = new IdentityHashMap<>();
    private final List<ProtoOut> descriptors = new ArrayList<>();

    int resource(Resource resource) {
      return resourceIndex.computeIfAbsent(
          resource,
          r -> {
            resources.add(r);
            return resources.size() - 1;
          });
    }

    int scope(InstrumentationScope scope) {
      return scopeIndex.computeIfAbsent(
          scope,
          s -> {
            scopes.add(s);
            return scopes.size() - 1;
          });
    }

    /**
     * The index of what records share beyond resource and scope (field 5 of the batch; a metric's
     * descriptor), written by {@code writer} the first time this batch meets it.
     */
    <D> int descriptor(D shared, BiFunction<D, Origins, ProtoOut> writer) {
      Integer index = descriptorIndex.get(shared);
      if (index == null) {
        descriptors.add(writer.apply(shared, this)); // may add to the resources and scopes first
        index = descriptors.size() - 1;
        descriptorIndex.put(shared, index);
      }
      return index;
    }

    /**
     * The tables as read; an index out of range fails the decoding (a malformed batch). The
     * descriptors are left encoded: only the signal's codec knows what they are.
     */
    record Tables(
        List<Resource> resources, List<InstrumentationScope> scopes, List<byte[]> descriptors) {}
  }
}
