package dev.glust.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's own latency histograms, scraped from its {@code /metrics} before and after a run:
 * where a client-side latency comes from (waiting for the commit, or before the service saw the
 * request). Quantiles are bucket upper bounds, as Prometheus' histogram_quantile would bound them.
 */
final class ServiceHistograms {
  private static final Pattern BUCKET =
      Pattern.compile("^(\\w+)_bucket\\{([^}]*)\\} ([0-9.eE+]+)$", Pattern.MULTILINE);
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI metrics;

  ServiceHistograms(int apiPort) {
    this.metrics = URI.create("http://127.0.0.1:" + apiPort + "/metrics");
  }

  /** Cumulative bucket counts (upper bound in seconds → count) per histogram and label filter. */
  record Snapshot(String text) {
    TreeMap<Double, Double> buckets(String name, String... labels) {
      TreeMap<Double, Double> buckets = new TreeMap<>();
      Matcher m = BUCKET.matcher(text);
      while (m.find()) {
        if (!m.group(1).equals(name) || !hasAll(m.group(2), labels)) {
          continue;
        }
        Matcher le = LE.matcher(m.group(2));
        if (le.find()) {
          double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : parse(le);
          buckets.merge(bound, Double.parseDouble(m.group(3)), Double::sum);
        }
      }
      return buckets;
    }

    private static double parse(Matcher le) {
      return Double.parseDouble(le.group(1));
    }

    private static boolean hasAll(String labels, String... wanted) {
      for (String label : wanted) {
        if (!labels.contains(label)) {
          return false;
        }
      }
      return true;
    }
  }

  Snapshot scrape() throws IOException, InterruptedException {
    return new Snapshot(
        http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /**
   * The upper bound (ms) of the bucket holding the {@code quantile} of what was recorded between
   * the two snapshots, or NaN when nothing was.
   */
  static double quantileMillis(
      Snapshot before, Snapshot after, double quantile, String name, String... labels) {
    TreeMap<Double, Double> end = after.buckets(name, labels);
    TreeMap<Double, Double> start = before.buckets(name, labels);
    double total =
        end.isEmpty() ? 0 : end.lastEntry().getValue() - start.getOrDefault(end.lastKey(), 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> bucket : end.entrySet()) {
      double count = bucket.getValue() - start.getOrDefault(bucket.getKey(), 0.0);
      if (count >= quantile * total) {
        return bucket.getKey() * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
