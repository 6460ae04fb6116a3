package dev.glust.adapter.otlp;

import io.grpc.Status;

/**
 * An error as both OTLP transports say it. {@code retryAfterSeconds} is 0 when the client must not
 * retry the same data.
 */
record OtlpError(int httpStatus, Status.Code grpcCode, String message, int retryAfterSeconds) {
  boolean retryable() {
    return retryAfterSeconds > 0;
  }

  Status grpcStatus() {
    return Status.fromCode(grpcCode).withDescription(message);
  }
}
