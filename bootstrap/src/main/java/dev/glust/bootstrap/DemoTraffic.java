package dev.glust.bootstrap;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code glust demo}: the {@link DemoShop}'s traffic sent to a running Glust at a steady rate,
 * until Ctrl-C (or for a given time); stopping sends what the services still hold.
 */
final class DemoTraffic {
  static final String USAGE =
      """
      Usage: java -jar glust.jar demo [--endpoint URL] [--api-key KEY] [--rate N] [--seconds N]
        Sends the telemetry of a small simulated web shop (six services) to a running Glust
        until Ctrl-C.
        --endpoint URL  Glust's OTLP/gRPC endpoint (default http://localhost:4317)
        --api-key KEY   an API key with the ingest scope, when Glust has GLUST_API_KEYS set
        --rate N        user requests per second, each one trace (default 5)
        --seconds N     stop after N seconds instead of running until Ctrl-C
      """;
  static final Duration METRIC_INTERVAL = Duration.ofSeconds(10);

  private DemoTraffic() {}

  /**
   * @param apiKey sent as {@code X-API-Key} with every export; empty: none
   * @param seconds how long to run; empty: until stopped
   */
  record Settings(String endpoint, Optional<String> apiKey, double rate, Optional<Long> seconds) {
    Settings {
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        throw new IllegalArgumentException("--endpoint must be an http:// or https:// URL");
      }
      if (!(rate > 0 && rate <= 100_000)) {
        throw new IllegalArgumentException("--rate must be within (0, 100000]");
      }
      if (seconds.isPresent() && seconds.get() <= 0) {
        throw new IllegalArgumentException("--seconds must be positive");
      }
    }

    Map<String, String> headers() {
      return apiKey.map(key -> Map.of("X-API-Key", key)).orElse(Map.of());
    }

    /** Options as {@code --name value} or {@code --name=value}. */
    static Settings parse(String... args) {
      String endpoint = "http://localhost:4317";
      double rate = 5;
      Optional<String> apiKey = Optional.empty();
      Optional<Long> seconds = Optional.empty();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        String value;
        int equals = name.indexOf('=');
        if (equals > 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException(name + " needs a value");
        }
        switch (name) {
          case "--endpoint" -> endpoint = value;
          case "--api-key" -> apiKey = Optional.of(value);
          case "--rate" -> rate = number(name, value);
          case "--seconds" -> seconds = Optional.of((long) number(name, value));
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return new Settings(endpoint, apiKey, rate, seconds);
    }

    private static double number(String name, String value) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number, got " + value);
      }
    }
  }

  /** What was sent. */
  record Sent(long requests, long failed) {}

  /** The command: runs until Ctrl-C or the given time; exit status 2 on bad options. */
  static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch flushed = new CountDownLatch(1);
    // Ctrl-C: the JVM waits for this hook, which waits for the loop to end and the SDKs to flush
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.set(true);
                  try {
                    flushed.await(15, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "demo-shutdown"));
    PrintStream out = System.out;
    try (DemoShop shop =
        new DemoShop(
            settings.endpoint(), settings.headers(), METRIC_INTERVAL, new SplittableRandom())) {
      out.printf(
          "demo: sending %s user requests/s as %s to %s (Ctrl-C stops)%n",
          settings.rate(), String.join(", ", shop.serviceNames()), settings.endpoint());
      Sent sent = run(shop, settings.rate(), settings.seconds().map(Duration::ofSeconds), stop);
      out.printf(
          "demo: sent %d user requests (%d failed), flushing…%n", sent.requests(), sent.failed());
    } finally {
      flushed.countDown();
    }
  }

  /**
   * Serves user requests at the rate (evenly spaced; a late loop catches up) until the time is up
   * or {@code stop} is set.
   */
  static Sent run(DemoShop shop, double rate, Optional<Duration> howLong, AtomicBoolean stop) {
    long startNanos = System.nanoTime();
    long endNanos = howLong.map(d -> startNanos + d.toNanos()).orElse(Long.MAX_VALUE);
    long intervalNanos = (long) (1e9 / rate);
    long requests = 0;
    long failed = 0;
    long next = startNanos;
    while (!stop.get() && next - endNanos < 0) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, 100_000_000L));
        continue; // check stop and the time again
      }
      DemoShop.Outcome outcome = shop.serveUserRequest(nowUnixNano());
      requests++;
      if (outcome.failed()) {
        failed++;
      }
      next += intervalNanos;
    }
    return new Sent(requests, failed);
  }

  private static long nowUnixNano() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
