package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import org.junit.jupiter.api.Test;

class OtlpMapperTest {
  /** 2^32 - 1, the largest uint32: a Java int reads it as -1. */
  private static final int MAX_UINT32 = -1;

  private final OtlpMapper mapper = new OtlpMapper();

  @Test
  void theLargestDroppedCountsSaturateInsteadOfCostingTheSpan() {
    io.opentelemetry.proto.trace.v1.Span span =
        OtlpReceiversTest.span(1)
            .setDroppedAttributesCount(MAX_UINT32)
            .setDroppedEventsCount(MAX_UINT32)
            .setDroppedLinksCount(MAX_UINT32)
            .addEvents(
                io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                    .setName("e")
                    .setDroppedAttributesCount(Integer.MIN_VALUE)) // 2^31
            .addLinks(
                io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[16])) // broken: counts as dropped
                    .setSpanId(ByteString.copyFrom(new byte[8])))
            .build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().setDroppedAttributesCount(MAX_UINT32))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .setScope(
                                InstrumentationScope.newBuilder()
                                    .setDroppedAttributesCount(MAX_UINT32))
                            .addSpans(span)))
            .build();

    ExportBatch<Span> batch = mapper.toSpans(TenantId.DEFAULT, request, 0);

    assertThat(batch.rejectedCount()).isZero();
    Span mapped = batch.records().get(0);
    assertThat(mapped.attributes().droppedCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(mapped.droppedEventsCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(mapped.droppedLinksCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(mapped.events().get(0).attributes().droppedCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(mapped.resource().attributes().droppedCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(mapped.scope().attributes().droppedCount()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aLogRecordsLargestDroppedCountSaturates() {
    ExportLogsServiceRequest request =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                    .setTimeUnixNano(1_700_000_000_000_000_000L)
                                    .setDroppedAttributesCount(MAX_UINT32))))
            .build();

    ExportBatch<LogRecord> batch = mapper.toLogs(TenantId.DEFAULT, request, 0);

    assertThat(batch.rejectedCount()).isZero();
    assertThat(batch.records().get(0).attributes().droppedCount()).isEqualTo(Integer.MAX_VALUE);
  }
}
