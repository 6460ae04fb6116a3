package dev.glust.bootstrap;

import dev.glust.adapter.postgres.testing.MetricRows;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.util.Arrays;

/**
 * Known metrics written straight into a running Glust's database (the V4 rows the OTLP metrics
 * writer produces), ten minutes of points every 10 s from {@code base} (a whole minute):
 *
 * <ul>
 *   <li>{@code http.server.requests}, a cumulative counter: {@code method=GET} grows by 10 per
 *       point and restarts (new start time) at minute 5, so its rate is 1/s throughout; {@code
 *       method=POST} grows by 5 per point, 0.5/s. GET's point at minute 6 has an exemplar linked to
 *       {@link #exemplarTraceId}.
 *   <li>{@code http.server.duration}, a delta histogram with bounds 10, 20, …, 100 and one
 *       observation in each bounded bucket per point: uniform over (0, 100], so pNN = NN.
 *   <li>{@code process.memory.usage}, a gauge: 100 + the point's index.
 * </ul>
 */
final class MetricSample {
  static final long SECOND = 1_000_000_000L;
  static final long MINUTE = 60 * SECOND;
  static final int POINTS = 60;

  final long base;
  final String exemplarTraceId;

  MetricSample(long base, String exemplarTraceId) {
    if (base % MINUTE != 0) {
      throw new IllegalArgumentException("base must be a whole minute");
    }
    this.base = base;
    this.exemplarTraceId = exemplarTraceId;
  }

  /** The whole minute at least 15 minutes before now. */
  static long recentBase() {
    return Math.floorDiv(ExplorerSample.nowNanos() - 15 * MINUTE, MINUTE) * MINUTE;
  }

  void write(RunningGlust glust) throws Exception {
    long long_ago = base - 3600 * SECOND;
    try (MetricRows rows = new MetricRows(glust.db)) {
      String get = counter(rows, "GET");
      String post = counter(rows, "POST");
      String duration =
          rows.series("http.server.duration", MetricKind.HISTOGRAM)
              .temporality(AggregationTemporality.DELTA)
              .unit("ms")
              .description("Duration of HTTP server requests")
              .labels("{\"http.route\": \"/checkout\"}")
              .seen(base, base + 10 * MINUTE)
              .insert();
      String memory =
          rows.series("process.memory.usage", MetricKind.GAUGE)
              .unit("By")
              .seen(base, base + 10 * MINUTE)
              .insert();
      double[] bounds = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
      long[] uniform = new long[11];
      Arrays.fill(uniform, 0, 10, 1);
      long restart = base + 5 * MINUTE - 5 * SECOND;
      for (int i = 0; i < POINTS; i++) {
        long t = base + i * 10 * SECOND;
        boolean restarted = i >= 30;
        String exemplars =
            i == 36
                ? "[{\"timeUnixNano\": "
                    + t
                    + ", \"value\": 1, \"traceId\": \""
                    + exemplarTraceId
                    + "\", \"spanId\": \"eee19b7ec3c1b174\"}]"
                : "[]";
        rows.number(
            get,
            t,
            restarted ? restart : long_ago,
            restarted ? 10.0 * (i - 29) : 100 + 10.0 * i,
            exemplars);
        rows.numberInt(post, t, long_ago, 5L * i);
        rows.histogram(duration, t, t - 10 * SECOND, bounds, uniform, 500.0);
        rows.number(memory, t, 0, 100 + i, "[]");
      }
    }
  }

  private String counter(MetricRows rows, String method) throws Exception {
    return rows.series("http.server.requests", MetricKind.SUM)
        .temporality(AggregationTemporality.CUMULATIVE)
        .monotonic(true)
        .unit("{request}")
        .description("HTTP requests served")
        .labels("{\"http.request.method\": \"" + method + "\", \"http.response.status_code\": 200}")
        .seen(base, base + 10 * MINUTE)
        .insert();
  }
}
