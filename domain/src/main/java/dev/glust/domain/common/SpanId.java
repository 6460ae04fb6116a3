package dev.glust.domain.common;

import java.nio.ByteBuffer;

/** An 8-byte span id. Never all zero. */
public record SpanId(long value) {
  public static final int BYTES = 8;

  public SpanId {
    if (value == 0) {
      throw new InvalidTelemetryException("span id must not be all zero");
    }
  }

  public static SpanId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw new InvalidTelemetryException(
          "span id must be " + BYTES + " bytes, got " + (bytes == null ? 0 : bytes.length));
    }
    return new SpanId(ByteBuffer.wrap(bytes).getLong());
  }

  /** Accepts either letter case, as OTLP/JSON requires. */
  public static SpanId fromHex(String hex) {
    return fromBytes(Hex.parse(hex, BYTES, "span id"));
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(value).array();
  }

  public String toHex() {
    return Hex.of(toBytes());
  }

  @Override
  public String toString() {
    return toHex();
  }
}
