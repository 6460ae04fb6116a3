package dev.glust.adapter.otlp.testing;

import java.util.HexFormat;

/**
 * One fuzzed export: what goes on the wire. {@code body} is already compressed (or claims to be)
 * when {@code contentEncoding} is gzip; the gRPC client sends it as a compressed frame then.
 *
 * @param how the mutation that produced it, for the report of a failing case
 */
public record FuzzRequest(
    FuzzSignal signal, String contentType, String contentEncoding, byte[] body, String how) {

  public boolean gzip() {
    return "gzip".equals(contentEncoding);
  }

  @Override
  public String toString() {
    String head = HexFormat.of().formatHex(body, 0, Math.min(body.length, 48));
    return signal
        + " "
        + contentType
        + " "
        + contentEncoding
        + " "
        + how
        + " ("
        + body.length
        + " bytes: "
        + head
        + (body.length > 48 ? "…" : "")
        + ")";
  }
}
