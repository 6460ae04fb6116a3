package dev.glust.adapter.query;

import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.in.HealthReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/**
 * Health for humans and Kubernetes: {@code /health} and {@code /health/readiness} are 200 only when
 * storage is reachable and migrated (503 otherwise); {@code /health/liveness} is 200 while the
 * process serves HTTP at all.
 */
@Controller("/health")
@io.micronaut.scheduling.annotation.ExecuteOn(
    io.micronaut.scheduling.TaskExecutors.BLOCKING) // the probe queries the database
class HealthController {
  private final CheckHealthQuery health;

  HealthController(CheckHealthQuery health) {
    this.health = health;
  }

  @Get
  HttpResponse<HealthBody> health() {
    HealthReport report = health.check();
    HealthBody body = new HealthBody(report.up() ? "UP" : "DOWN", report.components());
    return HttpResponse.status(report.up() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(body);
  }

  @Get("/readiness")
  HttpResponse<HealthBody> readiness() {
    return health();
  }

  @Get("/liveness")
  HealthBody liveness() {
    return new HealthBody("UP", Map.of());
  }
}
