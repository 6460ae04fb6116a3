package dev.glust.domain.common;

import java.nio.ByteBuffer;

/** A 16-byte W3C trace id, held as two longs so that it compares by value. Never all zero. */
public record TraceId(long high, long low) {
  public static final int BYTES = 16;

  public TraceId {
    if (high == 0 && low == 0) {
      throw new InvalidTelemetryException("trace id must not be all zero");
    }
  }

  public static TraceId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw new InvalidTelemetryException(
          "trace id must be " + BYTES + " bytes, got " + (bytes == null ? 0 : bytes.length));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new TraceId(buffer.getLong(), buffer.getLong());
  }

  /** Accepts either letter case, as OTLP/JSON requires. */
  public static TraceId fromHex(String hex) {
    return fromBytes(Hex.parse(hex, BYTES, "trace id"));
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(high).putLong(low).array();
  }

  public String toHex() {
    return Hex.of(toBytes());
  }

  @Override
  public String toString() {
    return toHex();
  }
}
