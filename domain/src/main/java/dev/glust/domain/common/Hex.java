package dev.glust.domain.common;

import java.util.HexFormat;

/** Lower-case hex, as ids are printed by OTLP/JSON, W3C trace context and the query API. */
final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  static String of(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  static byte[] parse(String hex, int expectedBytes, String what) {
    if (hex == null || hex.length() != expectedBytes * 2) {
      throw new InvalidTelemetryException(
          what + " must be " + expectedBytes * 2 + " hex characters, got '" + hex + "'");
    }
    try {
      return FORMAT.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new InvalidTelemetryException(what + " is not hex: '" + hex + "'");
    }
  }
}
