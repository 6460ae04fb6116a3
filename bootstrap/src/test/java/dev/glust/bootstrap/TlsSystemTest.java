package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both receivers with TLS from PEM files, reached by the real SDK exporters that trust only the
 * test's own self-signed certificate (made with the JDK's keytool).
 */
class TlsSystemTest {
  @TempDir Path dir;

  @Test
  void sdkExportersTrustingTheTestCaExportOverTls() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSigned(cert, key);
    byte[] ca = Files.readAllBytes(cert);

    try (RunningGlust glust =
        new RunningGlust(
            Map.of("glust.tls.cert-file", cert.toString(), "glust.tls.key-file", key.toString()))) {
      String grpc = "https://localhost:" + glust.receivers.grpcPort();
      String http = "https://localhost:" + glust.receivers.httpPort() + "/v1/traces";
      assertThat(
              exports(
                  OtlpGrpcSpanExporter.builder()
                      .setEndpoint(grpc)
                      .setTrustedCertificates(ca)
                      .build()))
          .isTrue();
      assertThat(
              exports(
                  OtlpHttpSpanExporter.builder()
                      .setEndpoint(http)
                      .setTrustedCertificates(ca)
                      .build()))
          .isTrue();
      // without the CA the client refuses the server; plain text is not answered
      assertThat(exports(OtlpHttpSpanExporter.builder().setEndpoint(http).build())).isFalse();
      assertThat(
              exports(
                  OtlpGrpcSpanExporter.builder()
                      .setEndpoint("http://localhost:" + glust.receivers.grpcPort())
                      .build()))
          .isFalse();
      assertThat(glust.get("/api/services").body()).contains("\"tls\""); // Jaeger: any time
    }
  }

  private static boolean exports(SpanExporter exporter) {
    try {
      return exporter
          .export(SdkSample.record("tls").spans())
          .join(15, TimeUnit.SECONDS)
          .isSuccess();
    } finally {
      exporter.shutdown();
    }
  }

  /** A self-signed certificate for localhost, written as PEM: certificate and PKCS#8 key. */
  private void selfSigned(Path cert, Path key) throws Exception {
    Path store = dir.resolve("test.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "glust",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    Key privateKey = keyStore.getKey("glust", "changeit".toCharArray());
    Files.writeString(cert, pem("CERTIFICATE", keyStore.getCertificate("glust").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded())); // PKCS#8
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
