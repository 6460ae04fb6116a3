package dev.glust.domain.common;

/**
 * A record breaks a data rule of OTLP (e.g. an all-zero trace id). Permanent: sending the same
 * record again cannot succeed, so it is rejected rather than retried.
 */
public class InvalidTelemetryException extends IllegalArgumentException {
  public InvalidTelemetryException(String message) {
    super(message);
  }
}
