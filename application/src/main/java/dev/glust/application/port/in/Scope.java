package dev.glust.application.port.in;

/**
 * What an API key may do: send telemetry (OTLP), read its tenants' telemetry (query API), or read
 * what every tenant uses ({@code admin}, never given without being named).
 */
public enum Scope {
  INGEST,
  QUERY,
  ADMIN
}
