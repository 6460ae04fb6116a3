package dev.glust.adapter.otlp;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The {@code Content-Encoding}s OTLP/HTTP accepts: what the OTel Collector's {@code compression}
 * setting sends (gzip, zstd, deflate) and identity. Each decodes as a stream, so the caller's
 * bounded read stops a compression bomb at the size limit instead of inflating it in memory.
 */
enum ContentEncoding {
  IDENTITY("identity"),
  GZIP("gzip"),
  /**
   * HTTP's "deflate" is zlib-wrapped (RFC 9110); some clients send raw deflate, which is told apart
   * by the zlib header's checksum.
   */
  DEFLATE("deflate"),
  ZSTD("zstd");

  private final String token;

  ContentEncoding(String token) {
    this.token = token;
  }

  /**
   * The encoding a header names (absent or empty: identity).
   *
   * @throws UnsupportedMediaTypeException for any other coding, or a chain of codings
   */
  static ContentEncoding of(String header) {
    String name = header == null ? "" : header.trim().toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      return IDENTITY;
    }
    for (ContentEncoding encoding : values()) {
      if (encoding.token.equals(name)) {
        return encoding;
      }
    }
    throw new UnsupportedMediaTypeException(
        "Content-Encoding must be gzip, zstd, deflate or identity, got '" + name + "'");
  }

  /** The decoded body as a stream over the encoded one. */
  InputStream decode(InputStream encoded) throws IOException {
    return switch (this) {
      case IDENTITY -> encoded;
      case GZIP -> new GZIPInputStream(encoded, 8192);
      case DEFLATE -> inflate(encoded);
      case ZSTD -> new ZstdInputStream(encoded);
    };
  }

  @Override
  public String toString() {
    return token;
  }

  private static InputStream inflate(InputStream encoded) throws IOException {
    BufferedInputStream in = new BufferedInputStream(encoded, 8192);
    in.mark(2);
    int cmf = in.read();
    int flg = in.read();
    in.reset();
    boolean zlib = (cmf & 0x0F) == 8 && flg >= 0 && ((cmf << 8) | flg) % 31 == 0;
    Inflater inflater = new Inflater(!zlib);
    return new InflaterInputStream(in, inflater, 8192) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          inflater.end(); // a caller's Inflater is not ended by the stream
        }
      }
    };
  }
}
