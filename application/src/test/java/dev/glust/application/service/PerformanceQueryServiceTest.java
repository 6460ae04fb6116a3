package dev.glust.application.service;

import static dev.glust.application.service.InMemoryRollups.MINUTE;
import static dev.glust.application.service.InMemoryRollups.errorKey;
import static dev.glust.application.service.InMemoryRollups.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.OperationPerformance;
import dev.glust.application.port.in.query.performance.OperationsPerformance;
import dev.glust.application.port.in.query.performance.PerformancePoint;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.in.query.performance.ServicesPerformance;
import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch.Measure;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PerformanceQueryServiceTest {
  /** A multiple of 5 minutes. */
  static final long T0 = 1_700_000_100_000_000_000L;

  /** Quantiles read from the rollups' histograms lie within one bucket: 2.2 %. */
  private static final double QUANTILE_ERROR = 0.022;

  private final InMemoryRollups rollups = new InMemoryRollups();
  private final PerformanceQueryService service = new PerformanceQueryService(rollups, rollups);

  /** Three one-minute steps: [T0, T0 + 2 min], the last step holding only the end. */
  private static PerformanceSearch threeMinutes() {
    return new PerformanceSearch(new TimeRange(T0, T0 + 2 * MINUTE), MINUTE);
  }

  /**
   * frontend served 120 calls of 10 ms in the first minute and 54 + 6 errors (20 ms) in the second,
   * and called cart 100 times (50 ms): its client spans are not calls it served.
   */
  private void frontend() {
    rollups.addSame(T0, key("frontend", "GET /", SpanKind.SERVER), 120, 10);
    rollups.addSame(T0 + MINUTE, key("frontend", "GET /", SpanKind.SERVER), 54, 10);
    rollups.addSame(T0 + MINUTE, errorKey("frontend", "GET /", SpanKind.SERVER), 6, 20);
    rollups.addSame(T0, key("frontend", "GET cart", SpanKind.CLIENT), 50, 50);
    rollups.addSame(T0 + MINUTE, key("frontend", "GET cart", SpanKind.CLIENT), 50, 50);
  }

  @Test
  void aServiceCountsTheCallsItServedExactlyOverTheRangeAndPerStep() {
    frontend();
    rollups.addSame(T0 + MINUTE, key("nightly", "cleanup", SpanKind.INTERNAL), 30, 5);

    ServicesPerformance result = service.readServicesPerformance(TenantId.DEFAULT, threeMinutes());

    assertThat(result.startUnixNano()).isEqualTo(T0);
    assertThat(result.stepNanos()).isEqualTo(MINUTE);
    assertThat(result.services())
        .extracting(ServicePerformance::name)
        .containsExactly("frontend", "nightly");
    ServicePerformance frontend = result.services().get(0);
    // 180 calls in two minutes: 1.5 per second
    assertThat(frontend.stats().calls()).isEqualTo(new CallStats(180, 6, 1.5, 6 / 180.0));
    assertThat(frontend.series())
        .extracting(PerformancePoint::startUnixNano)
        .containsExactly(T0, T0 + MINUTE, T0 + 2 * MINUTE);
    assertThat(frontend.series().get(0).stats().calls()).isEqualTo(new CallStats(120, 0, 2, 0));
    assertThat(frontend.series().get(1).stats().calls()).isEqualTo(new CallStats(60, 6, 1, 0.1));
    assertThat(frontend.series().get(0).stats().p50Ms().getAsDouble())
        .isCloseTo(10, within(10 * QUANTILE_ERROR));
    // an empty step: no calls, no quantiles (not 0, not NaN)
    PerformanceStats empty = frontend.series().get(2).stats();
    assertThat(empty.calls()).isEqualTo(new CallStats(0, 0, 0, 0));
    assertThat(empty.p50Ms()).isEmpty();
    assertThat(empty.p95Ms()).isEmpty();
    assertThat(empty.p99Ms()).isEmpty();
    // a service that served no calls is measured by all its spans
    assertThat(result.services().get(1).stats().calls().calls()).isEqualTo(30);
  }

  @Test
  void quantilesOfMergedRollupsLieWithinTheBucketWidthOfTheExactValue() {
    // 1 … 1000 ms, spread over two minutes and two writers' rollups per minute
    for (int part = 0; part < 4; part++) {
      int p = part;
      long[] durations = LongStream.rangeClosed(1, 1000).filter(d -> d % 4 == p).toArray();
      rollups.add(T0 + (part / 2) * MINUTE, key("api", "GET /items", SpanKind.SERVER), durations);
    }

    PerformanceStats stats =
        service.readServicesPerformance(TenantId.DEFAULT, threeMinutes()).services().get(0).stats();

    assertThat(stats.calls().calls()).isEqualTo(1000);
    assertThat(stats.p50Ms().getAsDouble()).isCloseTo(500, within(500 * QUANTILE_ERROR));
    assertThat(stats.p95Ms().getAsDouble()).isCloseTo(950, within(950 * QUANTILE_ERROR));
    assertThat(stats.p99Ms().getAsDouble()).isCloseTo(990, within(990 * QUANTILE_ERROR));
  }

  @Test
  void operationsAreRankedByImpactAndTheServiceFiguresCountServedCallsOnly() {
    frontend();
    rollups.addSame(T0, key("cart", "GET /cart", SpanKind.SERVER), 10, 5);

    OperationsPerformance result =
        service.readOperationsPerformance(TenantId.DEFAULT, "frontend", threeMinutes());

    assertThat(result.service()).isEqualTo("frontend");
    assertThat(result.stats().calls()).isEqualTo(new CallStats(180, 6, 1.5, 6 / 180.0));
    assertThat(result.series()).hasSize(3);
    // GET cart: 100 calls / 120 s × 50 ms; GET /: 180 calls / 120 s × (174 × 10 + 6 × 20) / 180 ms
    assertThat(result.operations())
        .extracting(OperationPerformance::name, OperationPerformance::kind)
        .containsExactly(tuple("GET cart", SpanKind.CLIENT), tuple("GET /", SpanKind.SERVER));
    assertThat(result.operations().get(0).impact()).isCloseTo(100 / 120.0 * 50, within(1e-9));
    assertThat(result.operations().get(1).impact()).isCloseTo(1860 / 120.0, within(1e-9));
    assertThat(result.operations().get(1).stats().calls())
        .isEqualTo(new CallStats(180, 6, 1.5, 6 / 180.0));
  }

  @Test
  void aServiceWithoutSpansHasNoOperationsAndEmptyFigures() {
    frontend();

    OperationsPerformance result =
        service.readOperationsPerformance(TenantId.DEFAULT, "unknown", threeMinutes());

    assertThat(result.operations()).isEmpty();
    assertThat(result.stats().calls()).isEqualTo(new CallStats(0, 0, 0, 0));
    assertThat(result.stats().p95Ms()).isEmpty();
    assertThat(result.series()).hasSize(3).allMatch(p -> p.stats().p99Ms().isEmpty());
    assertThat(
            service
                .readServicesPerformance(
                    TenantId.DEFAULT,
                    new PerformanceSearch(
                        new TimeRange(T0 + MINUTE * 10, T0 + MINUTE * 20), MINUTE))
                .services())
        .isEmpty();
  }

  @Test
  void stepsAreAlignedOnMultiplesOfTheStepAndTheRangeIsTheirSum() {
    frontend();
    // 5-minute steps over [T0 + 1 min, T0 + 1 min + 30 s]: one step from T0, with both minutes
    PerformanceSearch search =
        new PerformanceSearch(new TimeRange(T0 + MINUTE, T0 + MINUTE + MINUTE / 2), 5 * MINUTE);

    ServicePerformance frontend =
        service.readServicesPerformance(TenantId.DEFAULT, search).services().get(0);

    assertThat(frontend.series()).hasSize(1);
    assertThat(frontend.series().get(0).startUnixNano()).isEqualTo(T0);
    assertThat(frontend.series().get(0).stats().calls())
        .isEqualTo(new CallStats(180, 6, 0.6, 6 / 180.0));
    // the range runs from T0 (its first step's start) to its end: 90 s
    assertThat(frontend.stats().calls().ratePerSecond()).isEqualTo(2.0);
  }

  @Test
  void badStepsAndTooLongRangesAreInvalidQueries() {
    assertThatThrownBy(() -> new PerformanceSearch(new TimeRange(T0, T0 + MINUTE), 90_000_000_000L))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("step");
    assertThatThrownBy(() -> new PerformanceSearch(new TimeRange(0, T0), MINUTE))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("more than 11000");
    PerformanceQueryService limited =
        new PerformanceQueryService(rollups, rollups, Duration.ofHours(1));
    PerformanceSearch day =
        new PerformanceSearch(new TimeRange(T0, T0 + 1440 * MINUTE), 60 * MINUTE);
    assertThatThrownBy(() -> limited.readServicesPerformance(TenantId.DEFAULT, day))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(
            () -> limited.readDependencies(TenantId.DEFAULT, new TimeRange(T0, T0 + 61 * MINUTE)))
        .isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void dependencyEdgesAreSummedOverMinutesAndRowsWithEveryServiceAsANode() {
    rollups.edge(T0, "frontend", "cart", 30, 0);
    rollups.edge(T0, "frontend", "cart", 10, 0); // another writer's row of the same minute
    rollups.edge(T0 + MINUTE, "frontend", "cart", 20, 0);
    rollups.edge(T0 + MINUTE, "frontend", "payments", 12, 3);
    rollups.edge(T0 + 5 * MINUTE, "frontend", "cart", 99, 0); // after the range
    frontend();
    rollups.addSame(T0, key("cart", "GET /cart", SpanKind.SERVER), 60, 5);
    rollups.addSame(T0, key("nightly", "cleanup", SpanKind.INTERNAL), 12, 5);

    // [T0 + 30 s, T0 + 2 min]: from the first minute's start, two minutes
    DependencyGraph graph =
        service.readDependencies(TenantId.DEFAULT, new TimeRange(T0 + MINUTE / 2, T0 + 2 * MINUTE));

    assertThat(graph.startUnixNano()).isEqualTo(T0);
    assertThat(graph.edges())
        .containsExactly(
            new DependencyGraph.Edge("frontend", "cart", new CallStats(60, 0, 0.5, 0)),
            new DependencyGraph.Edge("frontend", "payments", new CallStats(12, 3, 0.1, 0.25)));
    assertThat(graph.nodes())
        .containsExactly(
            new DependencyGraph.Node("cart", new CallStats(60, 0, 0.5, 0)),
            new DependencyGraph.Node("frontend", new CallStats(180, 6, 1.5, 6 / 180.0)),
            new DependencyGraph.Node("nightly", new CallStats(12, 0, 0.1, 0)),
            new DependencyGraph.Node("payments", new CallStats(0, 0, 0, 0)));
  }

  /** api served 60 calls (10 ms), 120 (100 ms, 12 errors), none, 60 (1000 ms) in four minutes. */
  private void api() {
    rollups.addSame(T0, key("api", "GET /a", SpanKind.SERVER), 60, 10);
    rollups.addSame(T0 + MINUTE, key("api", "GET /a", SpanKind.SERVER), 60, 100);
    rollups.addSame(T0 + MINUTE, key("api", "GET /b", SpanKind.SERVER), 48, 100);
    rollups.addSame(T0 + MINUTE, errorKey("api", "GET /b", SpanKind.SERVER), 12, 100);
    rollups.addSame(T0 + 3 * MINUTE, key("api", "GET /a", SpanKind.SERVER), 60, 1000);
    rollups.addSame(T0 + MINUTE, key("api", "GET db", SpanKind.CLIENT), 500, 1);
  }

  private List<SpanMetricSeries> slidingTwoMinutes(Measure measure, double q, boolean byOperation) {
    return service.readSpanMetrics(
        TenantId.DEFAULT,
        new SpanMetricsSearch(
            measure,
            q,
            Set.of("api"),
            Set.of(SpanKind.SERVER),
            byOperation,
            T0 + 4 * MINUTE,
            4 * MINUTE,
            MINUTE,
            2 * MINUTE));
  }

  private static List<Double> values(SpanMetricSeries series) {
    return series.points().stream().map(SpanMetricSeries.Point::value).toList();
  }

  @Test
  void slidingWindowsCountTheMinutesStartingWithinThemAtEachPoint() {
    api();

    List<SpanMetricSeries> calls = slidingTwoMinutes(Measure.CALL_RATE, 0, false);

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).service()).isEqualTo("api");
    assertThat(calls.get(0).operation()).isEmpty();
    assertThat(calls.get(0).points())
        .extracting(SpanMetricSeries.Point::timeUnixNano)
        .containsExactly(T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE);
    // windows [t − 2 min, t): nothing; minute 0; minutes 0-1; minutes 1-2; minutes 2-3
    assertThat(values(calls.get(0))).containsExactly(0.0, 0.5, 1.5, 1.0, 0.5);

    List<SpanMetricSeries> errors = slidingTwoMinutes(Measure.ERROR_RATIO, 0, false);
    assertThat(values(errors.get(0))).containsExactly(Double.NaN, 0.0, 12 / 180.0, 0.1, 0.0);

    List<Double> p50 = values(slidingTwoMinutes(Measure.LATENCY, 0.5, false).get(0));
    assertThat(p50.get(0)).isNaN();
    assertThat(p50.get(1)).isCloseTo(10, within(10 * QUANTILE_ERROR));
    assertThat(p50.get(3)).isCloseTo(100, within(100 * QUANTILE_ERROR));
    assertThat(p50.get(4)).isCloseTo(1000, within(1000 * QUANTILE_ERROR));
  }

  @Test
  void slidingWindowsGroupByOperationWhenAsked() {
    api();

    List<SpanMetricSeries> calls = slidingTwoMinutes(Measure.CALL_RATE, 0, true);

    assertThat(calls)
        .extracting(SpanMetricSeries::operation)
        .containsExactly(Optional.of("GET /a"), Optional.of("GET /b"));
    assertThat(values(calls.get(0))).containsExactly(0.0, 0.5, 1.0, 0.5, 0.5);
    assertThat(values(calls.get(1))).containsExactly(0.0, 0.0, 0.5, 0.5, 0.0);
  }

  @Test
  void slidingWindowQueriesAreCheckedLikeTheOthers() {
    assertThatThrownBy(() -> slidingTwoMinutes(Measure.LATENCY, 1.0, false))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("quantile");
    assertThatThrownBy(
            () ->
                new SpanMetricsSearch(
                    Measure.CALL_RATE, 0, Set.of(), Set.of(), false, T0, MINUTE, 0, MINUTE))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("step");
    PerformanceQueryService limited =
        new PerformanceQueryService(rollups, rollups, Duration.ofHours(1));
    SpanMetricsSearch twoHours =
        new SpanMetricsSearch(
            Measure.CALL_RATE, 0, Set.of(), Set.of(), false, T0, 120 * MINUTE, MINUTE, MINUTE);
    assertThatThrownBy(() -> limited.readSpanMetrics(TenantId.DEFAULT, twoHours))
        .isInstanceOf(InvalidQueryException.class);
  }
}
