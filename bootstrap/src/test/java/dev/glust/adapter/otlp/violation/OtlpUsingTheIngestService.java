package dev.glust.adapter.otlp.violation;

import dev.glust.application.service.IngestTelemetryService;

/** Breaks a rule on purpose: a receiver calling the service instead of its inbound port. */
public final class OtlpUsingTheIngestService {
  public IngestTelemetryService ingest;
}
