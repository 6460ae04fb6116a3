package dev.glust.application.port.in;

/** Whether Glust can do its job now: used by health and readiness probes. */
public interface CheckHealthQuery {
  HealthReport check();
}
