package dev.glust.adapter.otlp.testing;

import com.google.protobuf.Message;
import net.jqwik.api.Arbitrary;

/** The OTLP signals as the fuzzers address them. */
public enum FuzzSignal {
  TRACES("/v1/traces", "opentelemetry.proto.collector.trace.v1.TraceService/Export"),
  LOGS("/v1/logs", "opentelemetry.proto.collector.logs.v1.LogsService/Export"),
  METRICS("/v1/metrics", "opentelemetry.proto.collector.metrics.v1.MetricsService/Export");

  public final String httpPath;
  public final String grpcMethod;

  FuzzSignal(String httpPath, String grpcMethod) {
    this.httpPath = httpPath;
    this.grpcMethod = grpcMethod;
  }

  /** Well-formed requests of this signal with hostile content (see {@link HostileRecords}). */
  public Arbitrary<? extends Message> requests() {
    return switch (this) {
      case TRACES -> HostileRecords.traceRequests();
      case LOGS -> HostileRecords.logRequests();
      case METRICS -> HostileRecords.metricRequests();
    };
  }
}
