package dev.glust.bootstrap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /metrics}: every meter in the Prometheus text format, for scraping. */
@Controller("/metrics")
class MetricsController {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsController(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Get(produces = PROMETHEUS_TEXT)
  String scrape() {
    return registry.scrape();
  }
}
