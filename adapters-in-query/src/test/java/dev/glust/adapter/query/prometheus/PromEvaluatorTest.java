package dev.glust.adapter.query.prometheus;

import static dev.glust.adapter.query.prometheus.FixedSeries.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.glust.adapter.query.prometheus.Value.Sample;
import dev.glust.adapter.query.prometheus.Value.Scalar;
import dev.glust.adapter.query.prometheus.Value.Vector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The evaluator on known series: counters sampled every 10 s from 0 ({@code GET} at 1/s with a
 * reset, {@code POST} at 0.5/s), a gauge, and classic histogram buckets.
 */
class PromEvaluatorTest {
  private static double[] counter(double perSample, int n, int resetAt) {
    double[] out = new double[n];
    double v = 0;
    for (int i = 0; i < n; i++) {
      v = i == resetAt ? perSample : v + perSample;
      out[i] = v;
    }
    return out;
  }

  private static final FixedSeries DATA =
      new FixedSeries()
          .add(
              Map.of(Labels.NAME, "requests_total", "method", "GET", "job", "shop"),
              10,
              counter(10, 61, 30))
          .add(
              Map.of(Labels.NAME, "requests_total", "method", "POST", "job", "shop"),
              10,
              counter(5, 61, -1))
          .add(Map.of(Labels.NAME, "memory_bytes", "job", "shop"), 10, 100, 200, 300)
          .add(Map.of(Labels.NAME, "memory_bytes", "job", "cart"), 10, 50, 60, 70)
          .add(Map.of(Labels.NAME, "swap_bytes", "job", "shop"), 10, 1, 2, 3)
          .add(Map.of(Labels.NAME, "latency_bucket", "le", "0.1", "job", "shop"), 60, 0, 10, 20)
          .add(Map.of(Labels.NAME, "latency_bucket", "le", "0.5", "job", "shop"), 60, 0, 30, 60)
          .add(Map.of(Labels.NAME, "latency_bucket", "le", "1", "job", "shop"), 60, 0, 40, 80)
          .add(Map.of(Labels.NAME, "latency_bucket", "le", "+Inf", "job", "shop"), 60, 0, 40, 80);

  private static final PromQueries QUERIES = new PromQueries(DATA);

  private static Map<String, Double> vector(String query, long seconds) {
    Value v = QUERIES.instant(query, seconds * SECOND);
    assertThat(v).as(query).isInstanceOf(Vector.class);
    return ((Vector) v)
        .samples().stream()
            .collect(
                Collectors.toMap(
                    s -> s.labels().map().toString(), Sample::value, (a, b) -> a, TreeMap::new));
  }

  private static double only(String query, long seconds) {
    Map<String, Double> v = vector(query, seconds);
    assertThat(v).as(query).hasSize(1);
    return v.values().iterator().next();
  }

  @Test
  void rateExtrapolatesLikePrometheusAndSurvivesAReset() {
    assertThat(only("rate(requests_total{method=\"GET\"}[1m])", 120)).isCloseTo(1.0, within(1e-9));
    assertThat(only("rate(requests_total{method=\"POST\"}[1m])", 120)).isCloseTo(0.5, within(1e-9));
    // the GET counter restarts at 300 s: the window across it still reads 1/s
    assertThat(only("rate(requests_total{method=\"GET\"}[1m])", 330)).isCloseTo(1.0, within(1e-9));
    assertThat(only("increase(requests_total{method=\"GET\"}[1m])", 330))
        .isCloseTo(60, within(1e-9));
    assertThat(only("irate(requests_total{method=\"POST\"}[1m])", 125)).isEqualTo(0.5);
    // not a counter: delta takes the drop as it is
    assertThat(only("delta(memory_bytes{job=\"shop\"}[30s])", 20)).isCloseTo(300, within(1e-9));
    // a single sample has no rate
    assertThat(vector("rate(requests_total[5s])", 100)).isEmpty();
  }

  @Test
  void instantSelectorsLookBackFiveMinutesAndOffsetsShiftThem() {
    assertThat(vector("memory_bytes", 25))
        .containsExactly(
            Map.entry("{__name__=memory_bytes, job=cart}", 70.0),
            Map.entry("{__name__=memory_bytes, job=shop}", 300.0));
    assertThat(vector("memory_bytes", 20 + 299)).hasSize(2);
    assertThat(vector("memory_bytes", 20 + 300)).isEmpty(); // (t - 5m, t] holds no sample
    assertThat(only("memory_bytes{job=\"shop\"} offset 10s", 25)).isEqualTo(200);
    assertThat(vector("memory_bytes{job=~\"c.*\"}", 25))
        .containsOnlyKeys("{__name__=memory_bytes, job=cart}");
    assertThat(vector("memory_bytes{job!~\"c.*\"}", 25))
        .containsOnlyKeys("{__name__=memory_bytes, job=shop}");
  }

  @Test
  void aggregationsGroupByOrWithoutLabels() {
    assertThat(vector("sum by (method) (rate(requests_total[1m]))", 120))
        .containsExactly(Map.entry("{method=GET}", 1.0), Map.entry("{method=POST}", 0.5));
    assertThat(only("sum(rate(requests_total[1m]))", 120)).isCloseTo(1.5, within(1e-9));
    assertThat(vector("sum without (method) (rate(requests_total[1m]))", 120))
        .containsOnlyKeys("{job=shop}");
    assertThat(only("avg(memory_bytes)", 25)).isEqualTo(185);
    assertThat(only("min(memory_bytes)", 25)).isEqualTo(70);
    assertThat(only("max(memory_bytes)", 25)).isEqualTo(300);
    assertThat(only("count(memory_bytes)", 25)).isEqualTo(2);
    assertThat(vector("topk(1, memory_bytes)", 25))
        .containsOnlyKeys("{__name__=memory_bytes, job=shop}");
    assertThat(vector("bottomk(1, memory_bytes)", 25))
        .containsOnlyKeys("{__name__=memory_bytes, job=cart}");
    assertThat(vector("topk(5, memory_bytes)", 25)).hasSize(2);
  }

  @Test
  void arithmeticAndComparisonsBetweenVectorsAndScalars() {
    assertThat(QUERIES.instant("1+1", 0)).isEqualTo(new Scalar(2));
    assertThat(vector("vector(1)+vector(1)", 0)).containsExactly(Map.entry("{}", 2.0));
    assertThat(vector("memory_bytes / 10", 25))
        .containsExactly(Map.entry("{job=cart}", 7.0), Map.entry("{job=shop}", 30.0));
    assertThat(vector("2 * memory_bytes{job=\"cart\"} - 40", 25))
        .containsExactly(Map.entry("{job=cart}", 100.0));
    assertThat(vector("memory_bytes > 100", 25))
        .containsExactly(Map.entry("{__name__=memory_bytes, job=shop}", 300.0));
    assertThat(vector("memory_bytes > bool 100", 25))
        .containsExactly(Map.entry("{job=cart}", 0.0), Map.entry("{job=shop}", 1.0));
    assertThat(vector("memory_bytes / memory_bytes offset 10s", 25))
        .containsExactly(Map.entry("{job=cart}", 70.0 / 60), Map.entry("{job=shop}", 1.5));
    assertThat(vector("-memory_bytes{job=\"cart\"} ^ 2", 25))
        .containsExactly(Map.entry("{job=cart}", -4900.0));
    assertThat(QUERIES.instant("2 ^ 3 ^ 2", 0)).isEqualTo(new Scalar(512));
    assertThat(QUERIES.instant("10 - 2 - 3", 0)).isEqualTo(new Scalar(5));
    assertThat(QUERIES.instant("1 > bool 2", 0)).isEqualTo(new Scalar(0));
  }

  @Test
  void vectorMatchingRefusesManyToMany() {
    assertThat(vector("memory_bytes + no_such_metric", 25)).isEmpty();
    assertThatThrownBy(
            () -> QUERIES.instant("memory_bytes - {__name__=~\".*_bytes\", job=\"shop\"}", 25))
        .isInstanceOf(PromQueryException.class)
        .hasMessageContaining("many-to-many matching not allowed");
  }

  @Test
  void histogramQuantileInterpolatesInsideTheBucket() {
    // 40 observations in the last minute: 10 ≤ 0.1, 20 more ≤ 0.5, 10 more ≤ 1 (a window of
    // two minutes holds the two samples an increase needs)
    double median =
        only("histogram_quantile(0.5, sum by (le) (increase(latency_bucket[2m])))", 120);
    // rank 20 of 40 lies in (0.1, 0.5], 10 of its 20: 0.1 + 0.4 × 0.5
    assertThat(median).isCloseTo(0.3, within(1e-9));
    assertThat(only("histogram_quantile(0.99, sum by (le) (rate(latency_bucket[2m])))", 120))
        .isCloseTo(0.5 + 0.5 * (39.6 - 30) / 10, within(1e-9));
    assertThat(only("histogram_quantile(1, latency_bucket)", 120)).isEqualTo(1.0);
  }

  @Test
  void rangeQueriesEvaluateAtEveryStep() {
    List<PromSeries> scalar = QUERIES.range("1+1", 0, 60 * SECOND, 30 * SECOND);
    assertThat(scalar).hasSize(1);
    assertThat(scalar.get(0).labels()).isEqualTo(Labels.EMPTY);
    assertThat(scalar.get(0).values()).containsExactly(2, 2, 2);
    List<PromSeries> rates =
        QUERIES.range(
            "sum by (method) (rate(requests_total[1m]))", 60 * SECOND, 600 * SECOND, 60 * SECOND);
    assertThat(rates).extracting(s -> s.labels().get("method")).containsExactly("GET", "POST");
    for (double v : rates.get(0).values()) {
      assertThat(v).isCloseTo(1.0, within(1e-9));
    }
    assertThat(rates.get(0).times()).hasSize(10);
    assertThatThrownBy(() -> QUERIES.range("requests_total[1m]", 0, 60 * SECOND, SECOND))
        .hasMessageContaining("invalid expression type \"range vector\" for range query");
    assertThatThrownBy(() -> QUERIES.range("1", 0, 20_000 * SECOND, SECOND))
        .hasMessageContaining("exceeded maximum resolution of 11,000 points");
    assertThatThrownBy(() -> QUERIES.range("1", 0, SECOND, 0))
        .hasMessageContaining("zero or negative query resolution step");
  }
}
