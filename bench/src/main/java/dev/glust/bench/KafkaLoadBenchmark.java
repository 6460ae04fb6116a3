package dev.glust.bench;

import dev.glust.bench.LoadBenchmark.Signal;
import dev.glust.bench.LoadBenchmark.Transport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the scale-out modes, next to {@link LoadBenchmark}'s single process: first the
 * receiver alone (OTLP → Kafka, acks=all, no writer running), then how fast 1 and then 2 writer
 * processes drain the backlog this left in Kafka into PostgreSQL (rows stored per second, from the
 * first stored row to an empty backlog; the writers' start-up is not counted).
 *
 * <p>Usage (from the repository root, after {@code mvn -B -DskipTests package}): {@code java -cp
 * bench/target/glust-bench.jar dev.glust.bench.KafkaLoadBenchmark [seconds] [clients]}
 */
public final class KafkaLoadBenchmark {
  private KafkaLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    try (KafkaChaosBenchmark.KafkaModes modes = new KafkaChaosBenchmark.KafkaModes(2)) {
      modes.startReceiver();
      LoadBenchmark load =
          LoadBenchmark.against(seconds, clients, modes.grpcPort(), modes.httpPort());
      System.out.printf(
          "machine: %d cores; %d clients, %d s per run; 1 receiver, broker and PostgreSQL on"
              + " this machine%n",
          Runtime.getRuntime().availableProcessors(), clients, seconds);
      for (int writers = 1; writers <= 2; writers++) {
        System.out.printf("%nreceiver only (no writer running):%n");
        LoadBenchmark.printHeader();
        long acked =
            load.runLoad("spans, OTLP/gRPC → Kafka", Signal.SPANS, Transport.GRPC, clients, 0)
                    .acked()
                + load.runLoad("logs, OTLP/gRPC → Kafka", Signal.LOGS, Transport.GRPC, clients, 0)
                    .acked();
        drain(modes, writers, acked);
      }
    }
  }

  /** Starts the writers, times the backlog into PostgreSQL, stops them again. */
  private static void drain(KafkaChaosBenchmark.KafkaModes modes, int writers, long backlog)
      throws Exception {
    long before = storedRows(modes.jdbcUrl());
    modes.startWriters(writers);
    long firstRows;
    while ((firstRows = storedRows(modes.jdbcUrl())) == before) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    long start = System.nanoTime();
    while (modes.lag() > 0) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long stored = storedRows(modes.jdbcUrl()) - firstRows;
    System.out.printf(
        "%d writer(s) drained a backlog of %,d records: %,.0f rows/s into PostgreSQL"
            + " (%,d rows in %.1f s); stored in total %,d%n",
        writers, backlog, stored / seconds, stored, seconds, storedRows(modes.jdbcUrl()));
    modes.stopWriters();
  }

  private static long storedRows(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT (SELECT count(*) FROM spans) + (SELECT count(*) FROM logs)")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return 0; // no writer has migrated the database yet
      }
      throw e;
    }
  }
}
