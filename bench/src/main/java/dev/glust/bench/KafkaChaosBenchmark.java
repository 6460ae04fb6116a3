package dev.glust.bench;

import dev.glust.adapter.kafka.testing.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The chaos suite for the scale-out modes: the same clients, ledger and record-by-record comparison
 * as {@link ChaosBenchmark}, against a receiver process (OTLP → Kafka) and two writer processes
 * (Kafka → PostgreSQL) around a real Kafka broker (KRaft, in this JVM). Each cycle: SIGKILL of the
 * receiver, SIGKILL of a writer, and PostgreSQL stopped for 30 s while the receiver keeps
 * acknowledging and the writers' lag grows; then the lag must drain to zero while the clients keep
 * sending (each client pauses 200 ms between requests, below the writers' drain rate).
 *
 * <p>Usage (from the repository root, after {@code mvn -B -DskipTests package}): {@code java -cp
 * bench/target/glust-bench.jar dev.glust.bench.KafkaChaosBenchmark [cycles] [clients]}; a cycle
 * takes about 70 s.
 */
public final class KafkaChaosBenchmark {
  private static final int PARTITIONS = 4;
  private static final String GROUP = "glust-writers";

  private KafkaChaosBenchmark() {}

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    boolean clean;
    try (KafkaModes target = new KafkaModes(2)) {
      clean = new ChaosBenchmark(cycles, clients, target).run();
    }
    System.exit(clean ? 0 : 1);
  }

  /** PostgreSQL, a broker, one receiver and some writers; the receiver is what clients see. */
  static final class KafkaModes implements ChaosBenchmark.ChaosTarget {
    private final BenchDatabase db;
    private final TestKafka broker;
    private final ServiceProcess receiver;
    private final List<ServiceProcess> writers = new ArrayList<>();

    KafkaModes(int writerCount) throws IOException {
      db = BenchDatabase.start("256MB");
      Path brokerDir = Files.createTempDirectory("glust-bench-kafka");
      broker = TestKafka.start(BenchDatabase.freePort(), BenchDatabase.freePort(), brokerDir);
      receiver =
          new ServiceProcess(
              null, Path.of("bench/target/glust-kafka-receiver.log"), settings("receiver"));
      for (int w = 1; w <= writerCount; w++) {
        writers.add(
            new ServiceProcess(
                db.jdbcUrl(),
                Path.of("bench/target/glust-kafka-writer-" + w + ".log"),
                settings("writer")));
      }
    }

    private Map<String, String> settings(String mode) {
      Map<String, String> env = new java.util.HashMap<>();
      env.put("GLUST_MODE", mode);
      env.put("GLUST_KAFKA_BOOTSTRAP", broker.bootstrap());
      env.put("GLUST_KAFKA_PARTITIONS", Integer.toString(PARTITIONS));
      env.put("GLUST_KAFKA_GROUP", GROUP);
      return env;
    }

    @Override
    public void start() throws Exception {
      startReceiver();
      startWriters(writers.size());
    }

    void startReceiver() throws Exception {
      receiver.start();
    }

    /** Starts the first {@code count} writers, each in parallel with the others. */
    void startWriters(int count) throws Exception {
      List<Thread> starting = new ArrayList<>();
      List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (ServiceProcess writer : writers.subList(0, count)) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    writer.start();
                  } catch (Exception e) {
                    failures.add(e);
                  }
                });
        starting.add(t);
        t.start();
      }
      for (Thread t : starting) {
        t.join();
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
    }

    /** SIGTERM to every writer: each commits what it holds and leaves the group. */
    void stopWriters() {
      writers.forEach(ServiceProcess::close);
    }

    @Override
    public int grpcPort() {
      return receiver.grpcPort;
    }

    @Override
    public int httpPort() {
      return receiver.httpPort;
    }

    @Override
    public String jdbcUrl() {
      return db.jdbcUrl();
    }

    @Override
    public void cycle(Consumer<String> log) throws Exception {
      ChaosBenchmark.pause(8);
      log.accept("SIGKILL the receiver");
      receiver.kill();
      ChaosBenchmark.pause(1);
      receiver.start();
      log.accept("receiver restarted and healthy");
      ChaosBenchmark.pause(6);
      log.accept("SIGKILL writer 1 (lag " + lag() + ")");
      writers.get(0).kill();
      ChaosBenchmark.pause(3);
      writers.get(0).start();
      log.accept("writer 1 restarted (lag " + lag() + ")");
      ChaosBenchmark.pause(5);
      log.accept("stop PostgreSQL for 30 s (lag " + lag() + ")");
      db.stop();
      for (int s = 10; s <= 30; s += 10) {
        ChaosBenchmark.pause(10);
        log.accept("PostgreSQL down " + s + " s: lag " + lag() + " Kafka records (batches)");
      }
      db.start();
      long restarted = System.nanoTime();
      log.accept("PostgreSQL started again");
      awaitNoLag(log, restarted);
    }

    @Override
    public void settle(Consumer<String> log) throws Exception {
      awaitNoLag(log, System.nanoTime());
    }

    private void awaitNoLag(Consumer<String> log, long since) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      long lag;
      while ((lag = lag()) != 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the writers' lag did not drain: " + lag);
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
      log.accept(
          "writers' lag drained to 0 in "
              + String.format("%.1f", (System.nanoTime() - since) / 1e9)
              + " s");
    }

    /** Kafka records on the signal topics not committed by the writers' group yet. */
    long lag() throws Exception {
      return broker.lag(GROUP, "glust.spans", "glust.logs");
    }

    /**
     * Offered load below the writers' drain rate on a small machine (4 clients: about 4,000
     * records/s), so that the lag built during the outage can drain while clients keep sending.
     */
    @Override
    public long requestIntervalMillis() {
      return 200;
    }

    @Override
    public String describeCycle() {
      return "SIGKILL of the receiver, SIGKILL of a writer, PostgreSQL stopped 30 s, each;"
          + " 1 receiver, "
          + writers.size()
          + " writers";
    }

    @Override
    public void close() throws IOException {
      receiver.close();
      writers.forEach(ServiceProcess::close);
      broker.stop();
      db.close();
    }
  }
}
