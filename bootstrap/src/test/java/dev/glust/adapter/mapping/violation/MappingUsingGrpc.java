package dev.glust.adapter.mapping.violation;

import io.grpc.Status;

/** Breaks a rule on purpose: a mapping that answers in gRPC statuses, which Kafka cannot share. */
public final class MappingUsingGrpc {
  public Status status;
}
