package dev.glust.adapter.kafka;

import static dev.glust.adapter.kafka.ProtoBatch.attributes;
import static dev.glust.adapter.kafka.ProtoBatch.nested;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import java.io.IOException;
import java.util.List;

/**
 * LogBatch of glust_batch.proto. A record of a trace is keyed by its trace id, so it lands with the
 * trace's spans; one without a trace has no key and is spread over the partitions: log records
 * carry their own time, and no order between them is promised.
 */
final class LogCodec implements BatchCodec<LogRecord> {

  @Override
  public byte[] encode(List<LogRecord> logs) {
    return ProtoBatch.encode(logs, LogCodec::write);
  }

  @Override
  public List<LogRecord> decode(byte[] value) throws MalformedBatchException {
    return ProtoBatch.decode(value, LogCodec::read);
  }

  @Override
  public byte[] key(LogRecord log) {
    return log.traceId() == null ? null : log.traceId().toBytes();
  }

  private static ProtoOut write(LogRecord r, ProtoBatch.Origins origins) {
    ProtoOut out =
        new ProtoOut()
            .fixed64(1, r.timeUnixNano())
            .fixed64(2, r.observedTimeUnixNano())
            .uint32(3, r.severityNumber())
            .string(4, r.severityText())
            .message(5, ProtoBatch.value(r.body(), 0))
            .message(6, attributes(r.attributes()))
            .fixed32(7, r.flags());
    if (r.traceId() != null) {
      out.fixed64(8, r.traceId().high()).fixed64(9, r.traceId().low());
    }
    if (r.spanId() != null) {
      out.fixed64(10, r.spanId().value());
    }
    return out.string(11, r.eventName())
        .uint32(12, origins.resource(r.resource()))
        .uint32(13, origins.scope(r.scope()));
  }

  private static LogRecord read(CodedInputStream in, ProtoBatch.Origins.Tables tables)
      throws IOException {
    long time = 0;
    long observed = 0;
    int severity = 0;
    String severityText = "";
    AnyValue body = AnyValue.EMPTY;
    Attributes attributes = Attributes.EMPTY;
    int flags = 0;
    long traceHigh = 0;
    long traceLow = 0;
    long spanId = 0;
    String eventName = "";
    int resource = 0;
    int scope = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> time = in.readFixed64();
        case 2 -> observed = in.readFixed64();
        case 3 -> severity = in.readUInt32();
        case 4 -> severityText = in.readString();
        case 5 -> body = nested(in, v -> ProtoBatch.readValue(v, 0));
        case 6 -> attributes = nested(in, ProtoBatch::readAttributes);
        case 7 -> flags = in.readFixed32();
        case 8 -> traceHigh = in.readFixed64();
        case 9 -> traceLow = in.readFixed64();
        case 10 -> spanId = in.readFixed64();
        case 11 -> eventName = in.readString();
        case 12 -> resource = in.readUInt32();
        case 13 -> scope = in.readUInt32();
        default -> in.skipField(tag);
      }
    }
    return new LogRecord(
        time,
        observed,
        severity,
        severityText,
        body,
        attributes,
        flags,
        traceHigh == 0 && traceLow == 0 ? null : new TraceId(traceHigh, traceLow),
        spanId == 0 ? null : new SpanId(spanId),
        eventName,
        tables.resources().get(resource),
        tables.scopes().get(scope));
  }
}
