package dev.glust.application.port.in;

/** What an API key may do: send telemetry (OTLP) or read it (query API). */
public enum Scope {
  INGEST,
  QUERY
}
