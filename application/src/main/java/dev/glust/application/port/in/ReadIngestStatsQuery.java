package dev.glust.application.port.in;

/** The ingest pipelines' figures, for operators and metrics. */
public interface ReadIngestStatsQuery {
  PipelineStats spanStats();

  PipelineStats logStats();

  PipelineStats metricStats();

  /** True while a pipeline holds as much as it may, so new requests would be refused. */
  boolean saturated();
}
