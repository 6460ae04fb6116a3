package dev.glust.adapter.mapping.otlp;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;

/**
 * Reads an OTLP protobuf message as every Glust entry point does (an OTLP request body, a Kafka
 * record): strictly first, and when only a string's invalid UTF-8 stood in the way, again with the
 * bad bytes replaced, so that one such string never costs the message's good records.
 */
public final class OtlpBytes {
  private OtlpBytes() {}

  /**
   * @param type the descriptor of {@code parser}'s message type
   * @throws InvalidProtocolBufferException when the bytes are not such a message
   */
  public static <Q extends Message> Q parse(byte[] bytes, Parser<Q> parser, Descriptor type)
      throws InvalidProtocolBufferException {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      if (!String.valueOf(e.getMessage()).contains("UTF-8")) {
        throw e;
      }
    }
    try {
      return parser.parseFrom(Utf8Repair.repair(bytes, type));
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }
}
