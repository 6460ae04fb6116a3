package dev.glust.adapter.otlp;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.PipelineFullException;
import dev.glust.application.port.in.RateLimitStatus;
import dev.glust.application.port.in.TenantLimitedException;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.InvalidTelemetryException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become OTLP status codes, for HTTP and gRPC alike. Permanent
 * problems (the data is bad) say "do not retry"; transient ones (we or the database are busy or
 * down) say "retry later" with a delay.
 */
final class OtlpErrorTranslator {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpErrorTranslator.class);

  /** Database outages usually last longer than a busy moment: ask clients to back off more. */
  static final int STORAGE_RETRY_AFTER_SECONDS = 5;

  static final int OVERLOAD_RETRY_AFTER_SECONDS = 1;

  private OtlpErrorTranslator() {}

  static OtlpError translate(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof MalformedRequestException
        || t instanceof InvalidTelemetryException
        || t instanceof StorageRejectedException) {
      return new OtlpError(
          400, Status.Code.INVALID_ARGUMENT, t.getMessage(), 0, ExportOutcome.INVALID);
    }
    if (t instanceof RequestTooLargeException) {
      return new OtlpError(
          413, Status.Code.RESOURCE_EXHAUSTED, t.getMessage(), 0, ExportOutcome.TOO_LARGE);
    }
    if (t instanceof UnsupportedMediaTypeException) {
      return new OtlpError(
          415, Status.Code.INVALID_ARGUMENT, t.getMessage(), 0, ExportOutcome.UNSUPPORTED);
    }
    if (t instanceof StorageUnavailableException) {
      LOG.warn("storage unavailable, asking client to retry: {}", t.getMessage());
      return new OtlpError(
          503,
          Status.Code.UNAVAILABLE,
          "storage is unavailable, retry later",
          STORAGE_RETRY_AFTER_SECONDS,
          ExportOutcome.STORAGE_UNAVAILABLE);
    }
    if (t instanceof PipelineFullException) {
      return new OtlpError(
          429,
          Status.Code.UNAVAILABLE,
          "server is at capacity, retry later",
          OVERLOAD_RETRY_AFTER_SECONDS,
          ExportOutcome.PIPELINE_FULL);
    }
    if (t instanceof TenantLimitedException limited) {
      return new OtlpError(
          429,
          Status.Code.RESOURCE_EXHAUSTED,
          limited.getMessage(),
          (int) Math.min(Integer.MAX_VALUE, limited.retryAfterSeconds()),
          ExportOutcome.TENANT_LIMITED);
    }
    if (t instanceof ReceiverBusyException) {
      return new OtlpError(
          503,
          Status.Code.UNAVAILABLE,
          "server is overloaded (" + t.getMessage() + "), retry later",
          OVERLOAD_RETRY_AFTER_SECONDS,
          ExportOutcome.OVERLOADED);
    }
    LOG.error("unexpected failure while handling an export request", t);
    return new OtlpError(500, Status.Code.INTERNAL, "internal error", 0, ExportOutcome.INTERNAL);
  }

  /** A request the access guard did not let through (its key, scope, tenant or rate limit). */
  static OtlpError access(AccessDecision decision) {
    switch (decision.verdict()) {
      case UNAUTHENTICATED:
        return new OtlpError(
            401, Status.Code.UNAUTHENTICATED, decision.reason(), 0, ExportOutcome.UNAUTHENTICATED);
      case FORBIDDEN:
        return new OtlpError(
            403, Status.Code.PERMISSION_DENIED, decision.reason(), 0, ExportOutcome.FORBIDDEN);
      case RATE_LIMITED:
        return new OtlpError(
            429,
            Status.Code.RESOURCE_EXHAUSTED,
            decision.reason(),
            Math.toIntExact(
                decision.rateLimit().map(RateLimitStatus::retryAfterSeconds).orElse(1L)),
            ExportOutcome.RATE_LIMITED);
      case INVALID_TENANT:
        return new OtlpError(
            400, Status.Code.INVALID_ARGUMENT, decision.reason(), 0, ExportOutcome.INVALID);
      default:
        throw new IllegalArgumentException("an allowed request is not an error");
    }
  }

  /** HTTP-level refusals that are not about the payload (unknown path, wrong method). */
  static OtlpError http(int status, String message) {
    return new OtlpError(status, Status.Code.UNIMPLEMENTED, message, 0, ExportOutcome.INVALID);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
