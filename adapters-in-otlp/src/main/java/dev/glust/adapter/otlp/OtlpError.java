package dev.glust.adapter.otlp;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.glust.application.port.observe.ExportOutcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * An error as both OTLP transports say it. {@code retryAfterSeconds} is 0 when the client must not
 * retry the same data.
 */
record OtlpError(
    int httpStatus,
    Status.Code grpcCode,
    String message,
    int retryAfterSeconds,
    ExportOutcome outcome) {
  boolean retryable() {
    return retryAfterSeconds > 0;
  }

  Status grpcStatus() {
    return Status.fromCode(grpcCode).withDescription(message);
  }

  /**
   * The gRPC answer; a retryable one carries {@code google.rpc.RetryInfo} in its status details,
   * which OTLP exporters need to retry RESOURCE_EXHAUSTED and use as their delay.
   */
  StatusRuntimeException grpcException() {
    if (!retryable()) {
      return grpcStatus().asRuntimeException();
    }
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryAfterSeconds))
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(grpcCode.value())
            .setMessage(message)
            .addDetails(Any.pack(retry))
            .build());
  }
}
