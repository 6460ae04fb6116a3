package dev.glust.application.port.observe;

/** How an export request ended, as a metrics label. */
public enum ExportOutcome {
  /** Committed (possibly with some records rejected: partial success). */
  ACCEPTED(false),
  /** Malformed or refused as bad data: the client must not retry. */
  INVALID(false),
  TOO_LARGE(false),
  UNSUPPORTED(false),
  UNAUTHENTICATED(false),
  FORBIDDEN(false),
  /** Refused for now, the client should retry: the pipeline was full. */
  PIPELINE_FULL(true),
  /** Refused for now, the client should retry: it waited too long for a decoder (CPU overload). */
  OVERLOADED(true),
  STORAGE_UNAVAILABLE(true),
  RATE_LIMITED(true),
  /** Refused for now, the client should retry: its tenant sent faster than its ingest limit. */
  TENANT_LIMITED(true),
  INTERNAL(false);

  private final boolean retryable;

  ExportOutcome(boolean retryable) {
    this.retryable = retryable;
  }

  /** A refusal the client is asked to retry: its records are "refused", not "rejected". */
  public boolean retryable() {
    return retryable;
  }
}
