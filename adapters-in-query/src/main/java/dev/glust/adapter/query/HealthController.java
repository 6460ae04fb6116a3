package dev.glust.adapter.query;

import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.in.HealthReport;
import dev.glust.application.port.in.PipelineStats;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health for humans and Kubernetes: {@code /health} and {@code /health/readiness} are 200 only when
 * storage is reachable and migrated and no ingest pipeline is saturated (503 otherwise) and show
 * the ingest pipelines' figures; {@code /health/liveness} is 200 while the process serves HTTP at
 * all. Each names the running version (the explorer's footer shows it).
 */
@Controller("/health")
@ExecuteOn(TaskExecutors.BLOCKING) // the probe queries the database
class HealthController {
  private final CheckHealthQuery health;
  private final ReadIngestStatsQuery ingest;
  private final String version;

  HealthController(
      CheckHealthQuery health,
      ReadIngestStatsQuery ingest,
      @Value("${glust.version:unknown}") String version) {
    this.health = health;
    this.ingest = ingest;
    this.version = version;
  }

  @Get
  HttpResponse<HealthBody> health() {
    HealthReport report = health.check();
    HealthBody body =
        new HealthBody(
            report.up() ? "UP" : "DOWN",
            report.components(),
            Map.of(
                "spans",
                figures(ingest.spanStats()),
                "logs",
                figures(ingest.logStats()),
                "metrics",
                figures(ingest.metricStats())),
            version);
    return HttpResponse.status(report.up() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(body);
  }

  @Get("/readiness")
  HttpResponse<HealthBody> readiness() {
    return health();
  }

  @Get("/liveness")
  HealthBody liveness() {
    return new HealthBody("UP", Map.of(), Map.of(), version);
  }

  private static Map<String, Long> figures(PipelineStats s) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("queuedRecords", s.queuedRecords());
    out.put("queuedBytes", s.queuedBytes());
    out.put("acceptedRecords", s.acceptedRecords());
    out.put("refusedRequests", s.refusedRequests());
    out.put("committedBatches", s.committedBatches());
    out.put("failedBatches", s.failedBatches());
    out.put("lastBatchRecords", s.lastBatchRecords());
    out.put("lastCommitMicros", s.lastCommitNanos() / 1000);
    out.put("maxCommitMicros", s.maxCommitNanos() / 1000);
    return out;
  }
}
