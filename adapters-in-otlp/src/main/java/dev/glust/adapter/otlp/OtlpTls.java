package dev.glust.adapter.otlp;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for both receivers, from PEM files.
 *
 * @param certificateChain the server certificate, then any intermediates
 * @param privateKey its private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
 */
public record OtlpTls(Path certificateChain, Path privateKey) {
  public OtlpTls {
    for (Path file : new Path[] {certificateChain, privateKey}) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("TLS file is not readable: " + file);
      }
    }
  }
}
