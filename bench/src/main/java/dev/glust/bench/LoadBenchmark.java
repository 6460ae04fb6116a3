package dev.glust.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load benchmark: starts PostgreSQL (embedded) and the real service jar as a separate process,
 * then drives OTLP load from this process — all on the same machine — and reports acknowledged
 * records/s, refusals and latency percentiles; checks that stored rows equal acknowledged ones;
 * measures the same rows written by raw binary COPY (the ceiling) and an overload run.
 *
 * <p>Usage (from the repository root, after {@code mvn -B -DskipTests package}): {@code java -cp
 * bench/target/glust-bench.jar dev.glust.bench.LoadBenchmark [seconds] [clients] [all|metrics]};
 * {@code metrics} runs only the metric data point figures.
 */
public final class LoadBenchmark {
  private static final int BATCH = 500; // records per export request

  private final int seconds;
  private final int clients;
  private final OtlpRequests requests = new OtlpRequests();
  private String jdbcUrl;
  private int grpcPort;
  private int httpPort;
  private ServiceProcess service;
  private ServiceHistograms serviceHistograms;
  private long postmasterPid;

  private final boolean onlyMetrics;

  private LoadBenchmark(int seconds, int clients, boolean onlyMetrics) {
    this.seconds = seconds;
    this.clients = clients;
    this.onlyMetrics = onlyMetrics;
  }

  /** Load against a service already running on these ports (the Kafka benchmark's receiver). */
  static LoadBenchmark against(int seconds, int clients, int grpcPort, int httpPort) {
    LoadBenchmark load = new LoadBenchmark(seconds, clients, false);
    load.grpcPort = grpcPort;
    load.httpPort = httpPort;
    return load;
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    boolean onlyMetrics = args.length > 2 && args[2].equals("metrics");
    new LoadBenchmark(seconds, clients, onlyMetrics).run();
  }

  record Result(
      String name,
      long acked,
      long refused,
      long failed,
      double elapsedSeconds,
      Histogram latency,
      String serviceSide) {
    double rate() {
      return acked / elapsedSeconds;
    }

    void print() {
      System.out.printf(
          "%-34s %10.0f/s %8d %8d %8.1f %8.1f %8.1f %8.1f%n",
          name,
          rate(),
          refused,
          failed,
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(95) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0);
      if (!serviceSide.isEmpty()) {
        System.out.printf("    service side: %s%n", serviceSide);
      }
    }
  }

  private void run() throws Exception {
    try (BenchDatabase db = BenchDatabase.start("512MB")) {
      jdbcUrl = db.jdbcUrl();
      postmasterPid = db.postmasterPid();
      service = new ServiceProcess(jdbcUrl, Path.of("bench/target/glust-load-service.log"));
      service.start();
      grpcPort = service.grpcPort;
      httpPort = service.httpPort;
      serviceHistograms = new ServiceHistograms(service.apiPort);
      try {
        System.out.printf(
            "machine: %d cores; %d clients, %d s per run, %d records per request%n",
            Runtime.getRuntime().availableProcessors(), clients, seconds, BATCH);
        printHeader();
        // the first run also warms the JIT and writes every series once: reported, not compared
        runLoad("metric points, gRPC, warm-up", Signal.METRICS, Transport.GRPC, clients, 0);
        Result metrics =
            runLoad("metric points, OTLP/gRPC", Signal.METRICS, Transport.GRPC, clients, 0);
        runLoad("metric points, OTLP/HTTP protobuf", Signal.METRICS, Transport.HTTP, clients, 0);
        checkStoredEqualsAcked();
        if (onlyMetrics) {
          rawCopyCeilingOfMetrics(metrics.rate());
          return;
        }
        Result spans = runLoad("spans, OTLP/gRPC", Signal.SPANS, Transport.GRPC, clients, 0);
        Result logs = runLoad("logs, OTLP/gRPC", Signal.LOGS, Transport.GRPC, clients, 0);
        runLoad("spans, OTLP/HTTP protobuf", Signal.SPANS, Transport.HTTP, clients, 0);
        runLoad("logs, OTLP/HTTP protobuf", Signal.LOGS, Transport.HTTP, clients, 0);
        runLoad(
            "spans, gRPC, half of peak", Signal.SPANS, Transport.GRPC, clients, spans.rate() / 2);
        runLoad("logs, gRPC, half of peak", Signal.LOGS, Transport.GRPC, clients, logs.rate() / 2);
        checkStoredEqualsAcked();
        overload(spans.rate());
        rawCopyCeiling("spans", spans.rate());
        rawCopyCeiling("logs", logs.rate());
        rawCopyCeilingOfMetrics(metrics.rate());
      } finally {
        service.close();
      }
    }
  }

  static void printHeader() {
    System.out.printf(
        "%-34s %12s %8s %8s %8s %8s %8s %8s%n",
        "run", "acked", "refused", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms");
  }

  enum Signal {
    SPANS(
        "opentelemetry.proto.collector.trace.v1.TraceService/Export",
        "/v1/traces",
        "spans",
        "traces",
        "spans"),
    LOGS(
        "opentelemetry.proto.collector.logs.v1.LogsService/Export",
        "/v1/logs",
        "logs",
        "logs",
        "logs"),
    METRICS(
        "opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        "/v1/metrics",
        "metric_points_number",
        "metrics",
        "metrics");

    final String grpcMethod;
    final String httpPath;
    final String table;

    /** The signal label of the service's request metrics. */
    final String requestLabel;

    /** The signal label of the service's pipeline (batch commit) metrics. */
    final String pipelineLabel;

    Signal(
        String grpcMethod,
        String httpPath,
        String table,
        String requestLabel,
        String pipelineLabel) {
      this.grpcMethod = grpcMethod;
      this.httpPath = httpPath;
      this.table = table;
      this.requestLabel = requestLabel;
      this.pipelineLabel = pipelineLabel;
    }
  }

  enum Transport {
    GRPC,
    HTTP
  }

  private final AtomicLong ackedSpans = new AtomicLong();
  private final AtomicLong ackedLogs = new AtomicLong();
  private final AtomicLong ackedMetrics = new AtomicLong();

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** Closed-loop clients; with {@code targetRate} > 0 each paces itself to its share of it. */
  Result runLoad(
      String name, Signal signal, Transport transport, int clientCount, double targetRate)
      throws Exception {
    IntFunction<byte[]> build =
        switch (signal) {
          case SPANS -> requests::spans;
          case LOGS -> requests::logs;
          case METRICS -> requests::metrics;
        };
    // Requests are built before the clock starts, so the client's CPU goes to sending.
    long expected =
        (long) ((targetRate > 0 ? targetRate : 150_000) * seconds * 1.2 / BATCH) + clientCount;
    ConcurrentLinkedQueue<byte[]> prepared = new ConcurrentLinkedQueue<>();
    for (long i = 0; i < expected; i++) {
      prepared.add(build.apply(BATCH));
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
            .usePlaintext()
            .maxInboundMessageSize(1 << 20)
            .build();
    MethodDescriptor<byte[], byte[]> method = method(signal);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Recorder recorder = new Recorder(3);
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long pacingNanos = targetRate > 0 ? (long) (1e9 * BATCH * clientCount / targetRate) : 0;
    // a service started elsewhere (the Kafka benchmark's receiver) is not scraped
    ServiceHistograms.Snapshot before =
        serviceHistograms == null ? null : serviceHistograms.scrape();
    double[] cpuBefore = cpuMillis();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clientCount; c++) {
      // paced clients start spread over one interval: together they send evenly, not in bursts
      long firstSend = start + c * pacingNanos / clientCount;
      Thread t =
          new Thread(
              () -> {
                long next = firstSend;
                sleepNanos(firstSend - System.nanoTime());
                while (System.nanoTime() < end) {
                  byte[] body = prepared.poll();
                  if (body == null) {
                    break; // prepared requests used up: the run ends early and says so below
                  }
                  long begin = System.nanoTime();
                  int outcome = send(transport, channel, method, http, signal, body);
                  recorder.recordValue(Math.max(1, (System.nanoTime() - begin) / 1000));
                  if (outcome == 0) {
                    acked.addAndGet(BATCH);
                  } else if (outcome == 1) {
                    refused.incrementAndGet();
                  } else {
                    failed.incrementAndGet();
                  }
                  if (pacingNanos > 0) {
                    next += pacingNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      sleepNanos(wait);
                    }
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    (switch (signal) {
          case SPANS -> ackedSpans;
          case LOGS -> ackedLogs;
          case METRICS -> ackedMetrics;
        })
        .addAndGet(acked.get());
    Result result =
        new Result(
            name,
            acked.get(),
            refused.get(),
            failed.get(),
            elapsed,
            recorder.getIntervalHistogram(),
            serviceSide(before, signal, transport) + cpuPerRecords(cpuBefore, acked.get()));
    result.print();
    return result;
  }

  /**
   * CPU used so far by the service and by PostgreSQL (ms); empty for a service started elsewhere.
   */
  private double[] cpuMillis() {
    if (serviceHistograms == null) {
      return new double[0];
    }
    return new double[] {
      ProcessCpu.millis(service.handle().pid()), ProcessCpu.serverMillis(postmasterPid)
    };
  }

  /** What the run cost per 1,000 records acknowledged, robust to other load on the machine. */
  private String cpuPerRecords(double[] before, long acked) {
    double[] after = cpuMillis();
    if (after.length == 0 || acked == 0) {
      return "";
    }
    return String.format(
        "%n    CPU per 1,000 records: service %.1f ms, PostgreSQL %.1f ms",
        (after[0] - before[0]) * 1000 / acked, (after[1] - before[1]) * 1000 / acked);
  }

  /** The service's own p50/p99 of request duration and commit time over the run just made. */
  private String serviceSide(ServiceHistograms.Snapshot before, Signal signal, Transport transport)
      throws Exception {
    if (before == null) {
      return "";
    }
    ServiceHistograms.Snapshot after = serviceHistograms.scrape();
    String[] request = {
      "signal=\"" + signal.requestLabel + "\"",
      "protocol=\"" + transport.name().toLowerCase(java.util.Locale.ROOT) + "\""
    };
    String[] commit = {"signal=\"" + signal.pipelineLabel + "\"", "result=\"committed\""};
    return String.format(
        "request p50 ≤ %.0f ms, p99 ≤ %.0f ms; batch commit p50 ≤ %.0f ms, p99 ≤ %.0f ms",
        ServiceHistograms.quantileMillis(
            before, after, 0.5, "glust_ingest_request_duration_seconds", request),
        ServiceHistograms.quantileMillis(
            before, after, 0.99, "glust_ingest_request_duration_seconds", request),
        ServiceHistograms.quantileMillis(
            before, after, 0.5, "glust_db_commit_duration_seconds", commit),
        ServiceHistograms.quantileMillis(
            before, after, 0.99, "glust_db_commit_duration_seconds", commit));
  }

  static MethodDescriptor<byte[], byte[]> method(Signal signal) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(signal.grpcMethod)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** 0 acknowledged, 1 refused with a retryable status, 2 anything else. */
  private int send(
      Transport transport,
      ManagedChannel channel,
      MethodDescriptor<byte[], byte[]> method,
      HttpClient http,
      Signal signal,
      byte[] body) {
    try {
      if (transport == Transport.GRPC) {
        ClientCalls.blockingUnaryCall(
            channel, method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), body);
        return 0;
      }
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + signal.httpPath))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status == 200 ? 0 : status == 429 || status == 503 ? 1 : 2;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAVAILABLE ? 1 : 2;
    } catch (IOException | InterruptedException e) {
      return 2;
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkStoredEqualsAcked() throws Exception {
    long spans = count("spans");
    long logs = count("logs");
    long points = count("metric_points_number") + count("metric_points_histogram");
    System.out.printf(
        "stored vs acknowledged: spans %,d / %,d, logs %,d / %,d, metric points %,d / %,d -> %s%n",
        spans,
        ackedSpans.get(),
        logs,
        ackedLogs.get(),
        points,
        ackedMetrics.get(),
        spans == ackedSpans.get() && logs == ackedLogs.get() && points == ackedMetrics.get()
            ? "OK (no loss, no duplicates)"
            : "MISMATCH");
  }

  private long count(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The same rows, exported with binary COPY and written back into the emptied table by binary COPY
   * in batches of 10,000 with as many parallel writers as the service uses: what the database alone
   * can take. Prints ingest / raw.
   */
  private void rawCopyCeiling(String table, double ingestRate) throws Exception {
    RawCopy.Result raw = RawCopy.measure(jdbcUrl, table, 10_000, 2);
    System.out.printf(
        "raw binary COPY of the same %,d %s: %,.0f rows/s; ingest over gRPC / raw COPY = %.0f %%%n",
        raw.rows(), table, raw.rate(), 100 * ingestRate / raw.rate());
  }

  /**
   * The metric points' ceiling: both point tables the load wrote (numbers, histograms) rewritten by
   * raw binary COPY; their combined rate is all rows over the sum of both tables' times. The series
   * rows are left alone (ingest writes each once, then knows it).
   */
  private void rawCopyCeilingOfMetrics(double ingestRate) throws Exception {
    RawCopy.Result numbers = RawCopy.measure(jdbcUrl, "metric_points_number", 10_000, 2);
    RawCopy.Result histograms = RawCopy.measure(jdbcUrl, "metric_points_histogram", 10_000, 2);
    long rows = numbers.rows() + histograms.rows();
    double rate = rows / (numbers.rows() / numbers.rate() + histograms.rows() / histograms.rate());
    System.out.printf(
        "raw binary COPY of the same %,d metric points (%,.0f numbers/s, %,.0f histograms/s):"
            + " %,.0f rows/s; ingest over gRPC / raw COPY = %.0f %%%n",
        rows, numbers.rate(), histograms.rate(), rate, 100 * ingestRate / rate);
  }

  /**
   * Open loop at three times the peak rate: requests are sent on schedule whatever the answers, so
   * the offered load really exceeds what the service can take; then the load drops to half of peak
   * to show recovery.
   */
  private void overload(double peakRate) throws Exception {
    double requestsPerSecond = 3 * peakRate / BATCH;
    int total = (int) (requestsPerSecond * seconds);
    List<byte[]> prepared = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      prepared.add(requests.spans(BATCH));
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    MethodDescriptor<byte[], byte[]> method = method(Signal.SPANS);
    Recorder recorder = new Recorder(3);
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(total);
    long start = System.nanoTime();
    long interval = (long) (1e9 / requestsPerSecond);
    for (int i = 0; i < total; i++) {
      sleepNanos(start + i * interval - System.nanoTime());
      long begin = System.nanoTime();
      ClientCalls.asyncUnaryCall(
          channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
          prepared.get(i),
          new io.grpc.stub.StreamObserver<byte[]>() {
            @Override
            public void onNext(byte[] value) {}

            @Override
            public void onError(Throwable t) {
              recorder.recordValue(Math.max(1, (System.nanoTime() - begin) / 1000));
              Status.Code code = Status.fromThrowable(t).getCode();
              (code == Status.Code.UNAVAILABLE ? refused : failed).incrementAndGet();
              answered.countDown();
            }

            @Override
            public void onCompleted() {
              recorder.recordValue(Math.max(1, (System.nanoTime() - begin) / 1000));
              acked.addAndGet(BATCH);
              answered.countDown();
            }
          });
      prepared.set(i, null);
    }
    answered.await(120, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    ackedSpans.addAndGet(acked.get());
    new Result(
            "overload, open loop 3x peak",
            acked.get(),
            refused.get(),
            failed.get(),
            elapsed,
            recorder.getIntervalHistogram(),
            "")
        .print();
    System.out.printf(
        "overload: offered %,.0f spans/s (%.0f requests/s) against a peak of %,.0f; %,d refused"
            + " with UNAVAILABLE; service peak RSS %s (heap limit 1 GiB)%n",
        3 * peakRate, requestsPerSecond, peakRate, refused.get(), service.peakRss());
    runLoad("recovery, half of peak", Signal.SPANS, Transport.GRPC, clients, peakRate / 2);
    checkStoredEqualsAcked();
  }
}
