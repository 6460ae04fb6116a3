package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.pipeline.PipelineObserver;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IngestPipelinesTest {
  private static final Duration GRACE = Duration.ofSeconds(1);

  /** Storage that hangs until interrupted: every pipeline uses its whole grace period. */
  private final CountDownLatch never = new CountDownLatch(1);

  private void hang(TenantId tenant, List<?> records) {
    try {
      never.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theThreePipelinesDrainTogetherWithinOneGracePeriod() throws Exception {
    IngestPipelines pipelines =
        new IngestPipelines(
            this::hang,
            this::hang,
            this::hang,
            new PipelineSettings(100, Duration.ZERO, 1000, 1 << 20, 1),
            GRACE,
            PipelineObserver.NONE);
    List<CompletableFuture<Void>> answers =
        List.of(
            pipelines.spans.submit(TenantId.DEFAULT, List.of(SampleTelemetry.span()), 1),
            pipelines.logs.submit(
                TenantId.DEFAULT, List.of(SampleTelemetry.log(AnyValue.of("x"))), 1),
            pipelines.metrics.submit(
                TenantId.DEFAULT,
                List.of(
                    SampleTelemetry.metricPoint(SampleTelemetry.metric("m", MetricKind.GAUGE), 1)),
                1));
    long start = System.nanoTime();
    pipelines.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // one grace period plus scheduling slack; one per pipeline would be three
    assertThat(took).isLessThan(GRACE.multipliedBy(2));
    for (CompletableFuture<Void> answer : answers) {
      assertThat(answer).succeedsWithin(Duration.ofSeconds(5));
    }
  }
}
