package dev.glust.adapter.mapping.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites a protobuf message so that every string field holds valid UTF-8, replacing bad bytes
 * with U+FFFD. protobuf-java refuses a whole proto3 message for one such string, while SDKs in
 * other languages send them; this keeps the request's good records. It only runs after a strict
 * parse failed for that reason, so valid traffic never pays for it.
 */
final class Utf8Repair {
  private static final int MAX_DEPTH = 100; // protobuf-java's own recursion limit

  private Utf8Repair() {}

  static byte[] repair(byte[] message, Descriptor type) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length + 64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    copy(CodedInputStream.newInstance(message), out, type, 0);
    out.flush();
    return bytes.toByteArray();
  }

  private static void copy(CodedInputStream in, CodedOutputStream out, Descriptor type, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("message nested deeper than " + MAX_DEPTH);
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (delimited && field != null && field.getType() == FieldDescriptor.Type.STRING) {
        out.writeString(field.getNumber(), new String(in.readByteArray(), StandardCharsets.UTF_8));
      } else if (delimited && field != null && field.getType() == FieldDescriptor.Type.MESSAGE) {
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        CodedOutputStream nestedOut = CodedOutputStream.newInstance(nested);
        copy(
            CodedInputStream.newInstance(in.readByteArray()),
            nestedOut,
            field.getMessageType(),
            depth + 1);
        nestedOut.flush();
        out.writeByteArray(field.getNumber(), nested.toByteArray());
      } else {
        in.skipField(tag, out); // copies the field as it is
      }
    }
  }
}
