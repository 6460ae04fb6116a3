package dev.glust.adapter.otlp;

import static dev.glust.adapter.otlp.OtlpReceiversTest.span;
import static dev.glust.adapter.otlp.OtlpReceiversTest.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP on the wire: the body encodings a Collector may send, and pipelined requests. */
class OtlpHttpProtocolTest {
  private static final int LIMIT = 1024 * 1024;
  private final RecordingIngest ingest = new RecordingIngest();
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceivers receivers;

  @BeforeEach
  void start() throws Exception {
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, LIMIT, 50), ingest, ingest, ingest);
  }

  @AfterEach
  void stop() {
    receivers.close();
  }

  private HttpResponse<byte[]> postTraces(byte[] body, String encoding) throws Exception {
    return OtlpReceiversTest.post(
        http,
        receivers.httpPort(),
        "/v1/traces",
        "application/x-protobuf",
        body,
        "Content-Encoding",
        encoding);
  }

  private static byte[] deflate(byte[] bytes, boolean zlibWrapped) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, !zlibWrapped);
    try (DeflaterOutputStream stream = new DeflaterOutputStream(out, deflater)) {
      stream.write(bytes);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  @Test
  void zstdAndDeflateBodiesAreStored() throws Exception {
    byte[] plain = traces(span(1), span(2)).toByteArray();

    assertThat(postTraces(Zstd.compress(plain), "zstd").statusCode()).isEqualTo(200);
    assertThat(postTraces(deflate(plain, true), "deflate").statusCode()).isEqualTo(200);
    // raw deflate (no zlib header), as some clients send it
    assertThat(postTraces(deflate(plain, false), "Deflate").statusCode()).isEqualTo(200);

    assertThat(ingest.spans)
        .extracting(s -> s.name())
        .containsExactly("op1", "op2", "op1", "op2", "op1", "op2");
  }

  @Test
  void zstdAndDeflateBombsAre413AndBrokenStreams400() throws Exception {
    byte[] inflated = new byte[LIMIT * 64]; // 64 MiB inflated, a few KiB on the wire
    byte[] zstdBomb = Zstd.compress(inflated);
    assertThat(zstdBomb.length).isLessThan(LIMIT / 16);
    HttpResponse<byte[]> zstd = postTraces(zstdBomb, "zstd");
    assertThat(zstd.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(zstd.body()).getMessage()).contains("limit");
    assertThat(postTraces(deflate(inflated, true), "deflate").statusCode()).isEqualTo(413);

    byte[] plain = traces(span(1)).toByteArray();
    byte[] truncated = Arrays.copyOf(Zstd.compress(plain), 8);
    assertThat(postTraces(truncated, "zstd").statusCode()).isEqualTo(400);
    assertThat(postTraces(plain, "zstd").statusCode()).isEqualTo(400);
    assertThat(postTraces(plain, "compress").statusCode()).isEqualTo(415);
    assertThat(postTraces(plain, "gzip, zstd").statusCode()).isEqualTo(415);
    assertThat(ingest.spans).isEmpty();
  }

  /** One HTTP/1.1 response read off a socket: status, headers (lower-case names), body. */
  private record RawResponse(int status, Map<String, String> headers, byte[] body) {
    static RawResponse read(DataInputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
      byte[] body = new byte[Integer.parseInt(headers.get("content-length"))];
      in.readFully(body);
      return new RawResponse(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed after: " + line);
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  private static byte[] request(String method, String path, String type, byte[] body) {
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
    // the exports' answers wait for a (slow) commit; the unknown path is answered at once
    CompletableFuture<Void> commit = new CompletableFuture<>();
    ingest.commits = commit;
    Span.Builder zeroTrace = span(3).setTraceId(ByteString.copyFrom(new byte[16]));
    ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
    pipelined.write(
        request(
            "POST",
            "/v1/traces",
            "application/x-protobuf",
            traces(span(1), zeroTrace).toByteArray()));
    pipelined.write(request("POST", "/v1/nothing", "application/json", "{}".getBytes()));
    pipelined.write(
        request("POST", "/v1/logs", "application/json", OtlpSignalTest.resource("logs.json")));

    List<RawResponse> responses = new ArrayList<>();
    try (Socket socket = new Socket("127.0.0.1", receivers.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(pipelined.toByteArray()); // all three in one write
      out.flush();
      Thread.sleep(300); // time for the unknown path's answer to overtake, were it allowed to
      commit.complete(null);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < 3; i++) {
        responses.add(RawResponse.read(in));
      }
    }

    assertThat(responses).extracting(RawResponse::status).containsExactly(200, 404, 200);
    RawResponse traces = responses.get(0);
    assertThat(traces.headers()).containsEntry("content-type", "application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(traces.body()).getPartialSuccess())
        .satisfies(partial -> assertThat(partial.getRejectedSpans()).isEqualTo(1));
    assertThat(new String(responses.get(1).body(), StandardCharsets.UTF_8)).contains("/v1/nothing");
    RawResponse logs = responses.get(2);
    assertThat(logs.headers()).containsEntry("content-type", "application/json");
    assertThat(new String(logs.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }
}
