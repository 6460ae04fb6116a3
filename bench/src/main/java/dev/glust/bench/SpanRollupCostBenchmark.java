package dev.glust.bench;

import dev.glust.adapter.postgres.PartitionSettings;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.adapter.postgres.SpanRollups;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the span rollups cost the database: span batches written through {@link PostgresStorage} (no
 * OTLP decoding, no HTTP) into two databases of one server, one with GLUST_SPAN_ROLLUPS on and one
 * off, batch by batch in turn, so that both see the same load. The spans are the load benchmark's
 * shape (8 services, 50 operations, 5 % errors) with lognormal durations (median 20 ms), so each
 * operation's histogram spans a few hundred buckets; or, with {@code fixed}, all of 5 ms as in the
 * load benchmark (one bucket). Prints the mean time per batch of each and their ratio.
 *
 * <p>Usage: {@code java -cp bench/target/glust-bench.jar dev.glust.bench.SpanRollupCostBenchmark
 * [batches] [spans per batch] [lognormal|fixed]} (defaults 60, 5000, lognormal).
 */
public final class SpanRollupCostBenchmark {
  private static final int WARM_UP = 5;

  private final Random random = new Random(1);
  private final boolean fixedDurations;
  private long sequence;

  private SpanRollupCostBenchmark(boolean fixedDurations) {
    this.fixedDurations = fixedDurations;
  }

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    boolean fixed = args.length > 2 && args[2].equals("fixed");
    try (EmbeddedPostgres embedded = QueryBenchmark.embeddedUnlessConfigured()) {
      String url = QueryBenchmark.benchUrl(embedded);
      String user = System.getenv().getOrDefault("GLUST_BENCH_DB_USER", "postgres");
      String password = System.getenv("GLUST_BENCH_DB_PASSWORD");
      try (PostgresStorage on = open(url, user, password, "rollups_on", SpanRollups.ON);
          PostgresStorage off = open(url, user, password, "rollups_off", SpanRollups.OFF)) {
        new SpanRollupCostBenchmark(fixed).run(on, off, batches, size);
      }
    }
  }

  private static PostgresStorage open(
      String url, String user, String password, String database, SpanRollups rollups)
      throws Exception {
    try (Connection admin = DriverManager.getConnection(url, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    String databaseUrl = url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    return PostgresStorage.open(
        PostgresSettings.of(databaseUrl, user, password),
        PartitionSettings.DEFAULTS,
        rollups,
        Clock.systemUTC());
  }

  private void run(PostgresStorage on, PostgresStorage off, int batches, int size) {
    long[] nanos = new long[2];
    for (int round = -WARM_UP; round < batches; round++) {
      for (int turn = 0; turn < 2; turn++) {
        boolean rollups = (round + turn) % 2 == 0; // who goes first alternates
        List<Span> batch = batch(size);
        long start = System.nanoTime();
        (rollups ? on : off).spans().saveSpans(TenantId.DEFAULT, batch);
        if (round >= 0) {
          nanos[rollups ? 0 : 1] += System.nanoTime() - start;
        }
      }
    }
    System.out.printf(
        "%d batches of %d spans each way (%s durations): rollups on %.1f ms/batch,"
            + " off %.1f ms/batch, on/off %.3f%n",
        batches,
        size,
        fixedDurations ? "fixed" : "lognormal",
        nanos[0] / 1e6 / batches,
        nanos[1] / 1e6 / batches,
        (double) nanos[0] / nanos[1]);
  }

  private List<Span> batch(int size) {
    long now = System.currentTimeMillis() * 1_000_000L;
    List<Span> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      long n = sequence++;
      long duration =
          fixedDurations
              ? 5_000_000L
              : Math.round(Math.exp(Math.log(20e6) + 1.2 * random.nextGaussian()));
      batch.add(
          new Span(
              new TraceId(0xbe, n / 10 + 1),
              new SpanId(n + 1),
              "",
              null,
              1,
              "GET /api/item/" + n % 50,
              SpanKind.SERVER,
              now - duration + i,
              now + i,
              Attributes.of(
                  Attribute.of("http.method", "GET"),
                  Attribute.of("http.url", "https://shop.example/api/item/" + n),
                  Attribute.of("user.id", "user-" + n % 10_000)),
              List.of(),
              0,
              List.of(),
              0,
              new SpanStatus(n % 20 == 0 ? SpanStatus.Code.ERROR : SpanStatus.Code.UNSET, ""),
              new Resource(
                  Attributes.of(Attribute.of("service.name", "load-service-" + (n / 500) % 8)), ""),
              InstrumentationScope.EMPTY));
    }
    return batch;
  }
}
