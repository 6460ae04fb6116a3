package dev.glust.application.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActiveSeriesLimiterTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");
  private final AtomicLong clock = new AtomicLong(0);
  private final List<String> limited = new ArrayList<>();
  private final ActiveSeriesLimiter limiter =
      new ActiveSeriesLimiter(
          () ->
              new TenantPolicies(
                  TenantLimits.UNLIMITED,
                  Map.of(ACME, new TenantLimits(IngestRate.UNLIMITED, 2, Retention.GLOBAL))),
          10,
          clock::get,
          (tenant, signal, limit, records) -> limited.add(tenant + "/" + limit + "/" + records));

  @Test
  void pointsOfNewSeriesBeyondTheCapAreRefusedAndKnownSeriesStillTaken() {
    ActiveSeriesLimiter.Admitted first = limiter.admit(ACME, List.of(point("a"), point("b")));
    assertThat(first.points()).hasSize(2);

    ActiveSeriesLimiter.Admitted second =
        limiter.admit(ACME, List.of(point("c"), point("a"), point("b"), point("d")));
    assertThat(second.points()).containsExactly(point("a"), point("b"));
    assertThat(second.refused()).isEqualTo(2);
    assertThat(second.reason())
        .isEqualTo(
            "2 data points refused: new series beyond tenant acme's max_active_series"
                + " (2 series active in the last hour)");
    assertThat(limited).containsExactly("acme/max_active_series/2");
  }

  @Test
  void aSeriesIdleForTheWindowMakesRoomForANewOne() {
    limiter.admit(ACME, List.of(point("a")));
    clock.addAndGet(ActiveSeriesLimiter.ACTIVE_WINDOW.toNanos() / 2);
    limiter.admit(ACME, List.of(point("b")));
    clock.addAndGet(ActiveSeriesLimiter.ACTIVE_WINDOW.toNanos() / 2 + 1); // a idle for the window
    assertThat(limiter.admit(ACME, List.of(point("c"))).refused()).isZero();
    assertThat(limiter.activeSeries(ACME)).isEqualTo(2);
  }

  @Test
  void attributeOrderDoesNotMakeANewSeriesAndTenantsWithoutCapAreNotTracked() {
    MetricPoint ab = point(List.of(Attribute.of("a", "1"), Attribute.of("b", "2")));
    MetricPoint ba = point(List.of(Attribute.of("b", "2"), Attribute.of("a", "1")));
    limiter.admit(ACME, List.of(ab, ba, point("x")));
    assertThat(limiter.activeSeries(ACME)).isEqualTo(2);

    List<MetricPoint> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(point("s" + i));
    }
    assertThat(limiter.admit(BETA, many).points()).hasSize(100);
    assertThat(limiter.activeSeries(BETA)).isZero();
  }

  private static MetricPoint point(String series) {
    return point(List.of(Attribute.of("series", series)));
  }

  private static MetricPoint point(List<Attribute> attributes) {
    MetricPoint sample =
        SampleTelemetry.metricPoint(SampleTelemetry.metric("requests", MetricKind.SUM), 1_000);
    DataPoint p = sample.point();
    return new MetricPoint(
        sample.metric(),
        new DataPoint(
            new Attributes(attributes, 0),
            p.startTimeUnixNano(),
            p.timeUnixNano(),
            p.flags(),
            p.value(),
            p.exemplars()));
  }
}
