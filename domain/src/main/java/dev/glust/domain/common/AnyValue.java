package dev.glust.domain.common;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A typed OTLP attribute or log-body value. The type is part of the data: an int stays an int,
 * bytes stay bytes, so a reader gets back what the SDK sent.
 */
public sealed interface AnyValue
    permits AnyValue.StringValue,
        AnyValue.BoolValue,
        AnyValue.IntValue,
        AnyValue.DoubleValue,
        AnyValue.BytesValue,
        AnyValue.ArrayValue,
        AnyValue.KeyValueListValue,
        AnyValue.EmptyValue {

  /** An AnyValue with none of its fields set; OTLP allows it (e.g. a log record without body). */
  EmptyValue EMPTY = new EmptyValue();

  static AnyValue of(String value) {
    return new StringValue(value);
  }

  static AnyValue of(long value) {
    return new IntValue(value);
  }

  static AnyValue of(boolean value) {
    return new BoolValue(value);
  }

  static AnyValue of(double value) {
    return new DoubleValue(value);
  }

  record StringValue(String value) implements AnyValue {
    public StringValue {
      value = Text.clean(value);
    }
  }

  record BoolValue(boolean value) implements AnyValue {}

  record IntValue(long value) implements AnyValue {}

  record DoubleValue(double value) implements AnyValue {}

  /** Bytes compare by content; the array is copied in and out so the value stays immutable. */
  record BytesValue(byte[] value) implements AnyValue {
    public BytesValue {
      value = value == null ? new byte[0] : value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof BytesValue b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "BytesValue[" + Base64.getEncoder().encodeToString(value) + "]";
    }
  }

  record ArrayValue(List<AnyValue> values) implements AnyValue {
    public ArrayValue {
      values = List.copyOf(values);
    }
  }

  record KeyValueListValue(List<Attribute> values) implements AnyValue {
    public KeyValueListValue {
      values = List.copyOf(values);
    }
  }

  record EmptyValue() implements AnyValue {}
}
