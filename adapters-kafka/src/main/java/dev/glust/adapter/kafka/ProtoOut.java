package dev.glust.adapter.kafka;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One protobuf message being written (see src/main/proto/glust_batch.proto). Scalars at their
 * default (0, empty) are left out as proto3 does; nested messages are written whole, after their
 * own bytes are known.
 */
final class ProtoOut {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
  private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);

  ProtoOut string(int field, String value) {
    return value.isEmpty() ? this : run(() -> out.writeString(field, value));
  }

  ProtoOut uint32(int field, int value) {
    return value == 0 ? this : run(() -> out.writeUInt32(field, value));
  }

  ProtoOut fixed32(int field, int value) {
    return value == 0 ? this : run(() -> out.writeFixed32(field, value));
  }

  ProtoOut fixed64(int field, long value) {
    return value == 0 ? this : run(() -> out.writeFixed64(field, value));
  }

  ProtoOut uint64(int field, long value) {
    return value == 0 ? this : run(() -> out.writeUInt64(field, value));
  }

  ProtoOut sint32(int field, int value) {
    return value == 0 ? this : run(() -> out.writeSInt32(field, value));
  }

  ProtoOut bool(int field, boolean value) {
    return value ? run(() -> out.writeBool(field, true)) : this;
  }

  /** A packed {@code repeated uint64}; nothing when empty. */
  ProtoOut packedUInt64(int field, List<Long> values) {
    return packed(field, values, CodedOutputStream::writeUInt64NoTag);
  }

  /** A packed {@code repeated double}; nothing when empty. */
  ProtoOut packedDouble(int field, List<Double> values) {
    return packed(field, values, CodedOutputStream::writeDoubleNoTag);
  }

  private interface ElementWrite<T> {
    void write(CodedOutputStream out, T value) throws IOException;
  }

  private <T> ProtoOut packed(int field, List<T> values, ElementWrite<T> element) {
    if (values.isEmpty()) {
      return this;
    }
    ProtoOut packed = new ProtoOut();
    values.forEach(v -> packed.run(() -> element.write(packed.out, v)));
    return message(field, packed);
  }

  /** A oneof member or a proto3 {@code optional}: written even when it holds its default. */
  ProtoOut stringAlways(int field, String value) {
    return run(() -> out.writeString(field, value));
  }

  ProtoOut boolAlways(int field, boolean value) {
    return run(() -> out.writeBool(field, value));
  }

  ProtoOut sint64Always(int field, long value) {
    return run(() -> out.writeSInt64(field, value));
  }

  ProtoOut doubleAlways(int field, double value) {
    return run(() -> out.writeDouble(field, value));
  }

  ProtoOut bytesAlways(int field, byte[] value) {
    return run(() -> out.writeByteArray(field, value));
  }

  ProtoOut message(int field, ProtoOut nested) {
    return bytesAlways(field, nested.toBytes());
  }

  byte[] toBytes() {
    run(out::flush);
    return bytes.toByteArray();
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Writing into memory cannot fail; the checked exception is the stream API's, not ours. */
  private ProtoOut run(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
