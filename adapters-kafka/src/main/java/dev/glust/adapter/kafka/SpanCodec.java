package dev.glust.adapter.kafka;

import static dev.glust.adapter.kafka.ProtoBatch.attributes;
import static dev.glust.adapter.kafka.ProtoBatch.nested;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SpanBatch of glust_batch.proto; keyed by trace id, so a trace stays in one partition. */
final class SpanCodec implements BatchCodec<Span> {

  @Override
  public byte[] encode(List<Span> spans) {
    return ProtoBatch.encode(spans, SpanCodec::write);
  }

  @Override
  public List<Span> decode(byte[] value) throws MalformedBatchException {
    return ProtoBatch.decode(value, SpanCodec::read);
  }

  @Override
  public byte[] key(Span span) {
    return span.traceId().toBytes();
  }

  private static ProtoOut write(Span s, ProtoBatch.Origins origins) {
    ProtoOut out =
        context(s.traceId(), s.spanId(), s.traceState())
            .fixed64(5, s.isRoot() ? 0 : s.parentSpanId().value())
            .fixed32(6, s.flags())
            .string(7, s.name())
            .uint32(8, s.kind().code())
            .fixed64(9, s.startTimeUnixNano())
            .fixed64(10, s.endTimeUnixNano())
            .message(11, attributes(s.attributes()));
    for (SpanEvent e : s.events()) {
      out.message(
          12,
          new ProtoOut()
              .fixed64(1, e.timeUnixNano())
              .string(2, e.name())
              .message(3, attributes(e.attributes())));
    }
    out.uint32(13, s.droppedEventsCount());
    for (SpanLink l : s.links()) {
      out.message(
          14,
          context(l.traceId(), l.spanId(), l.traceState())
              .fixed32(5, l.flags())
              .message(6, attributes(l.attributes())));
    }
    return out.uint32(15, s.droppedLinksCount())
        .uint32(16, s.status().code().code())
        .string(17, s.status().message())
        .uint32(18, origins.resource(s.resource()))
        .uint32(19, origins.scope(s.scope()));
  }

  private static Span read(CodedInputStream in, ProtoBatch.Origins.Tables tables)
      throws IOException {
    Context context = new Context();
    long parent = 0;
    int flags = 0;
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    Attributes attributes = Attributes.EMPTY;
    List<SpanEvent> events = new ArrayList<>();
    int droppedEvents = 0;
    List<SpanLink> links = new ArrayList<>();
    int droppedLinks = 0;
    int statusCode = 0;
    String statusMessage = "";
    int resource = 0;
    int scope = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (context.read(field, in)) {
        continue;
      }
      switch (field) {
        case 5 -> parent = in.readFixed64();
        case 6 -> flags = in.readFixed32();
        case 7 -> name = in.readString();
        case 8 -> kind = in.readUInt32();
        case 9 -> start = in.readFixed64();
        case 10 -> end = in.readFixed64();
        case 11 -> attributes = nested(in, ProtoBatch::readAttributes);
        case 12 -> events.add(nested(in, SpanCodec::readEvent));
        case 13 -> droppedEvents = in.readUInt32();
        case 14 -> links.add(nested(in, SpanCodec::readLink));
        case 15 -> droppedLinks = in.readUInt32();
        case 16 -> statusCode = in.readUInt32();
        case 17 -> statusMessage = in.readString();
        case 18 -> resource = in.readUInt32();
        case 19 -> scope = in.readUInt32();
        default -> in.skipField(tag);
      }
    }
    return new Span(
        context.traceId(),
        context.spanId(),
        context.traceState,
        parent == 0 ? null : new SpanId(parent),
        flags,
        name,
        SpanKind.fromCode(kind),
        start,
        end,
        attributes,
        events,
        droppedEvents,
        links,
        droppedLinks,
        new SpanStatus(SpanStatus.Code.fromCode(statusCode), statusMessage),
        tables.resources().get(resource),
        tables.scopes().get(scope));
  }

  private static SpanEvent readEvent(CodedInputStream in) throws IOException {
    long time = 0;
    String name = "";
    Attributes attributes = Attributes.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> time = in.readFixed64();
        case 2 -> name = in.readString();
        case 3 -> attributes = nested(in, ProtoBatch::readAttributes);
        default -> in.skipField(tag);
      }
    }
    return new SpanEvent(time, name, attributes);
  }

  private static SpanLink readLink(CodedInputStream in) throws IOException {
    Context context = new Context();
    int flags = 0;
    Attributes attributes = Attributes.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (context.read(field, in)) {
        continue;
      }
      switch (field) {
        case 5 -> flags = in.readFixed32();
        case 6 -> attributes = nested(in, ProtoBatch::readAttributes);
        default -> in.skipField(tag);
      }
    }
    return new SpanLink(context.traceId(), context.spanId(), context.traceState, flags, attributes);
  }

  /** Fields 1–4 of both Span and Link: the span context (trace id halves, span id, state). */
  private static ProtoOut context(TraceId traceId, SpanId spanId, String traceState) {
    return new ProtoOut()
        .fixed64(1, traceId.high())
        .fixed64(2, traceId.low())
        .fixed64(3, spanId.value())
        .string(4, traceState);
  }

  /** Reads fields 1–4 of Span or Link as they come; the other fields are the message's own. */
  private static final class Context {
    private long traceHigh;
    private long traceLow;
    private long spanId;
    private String traceState = "";

    /** Whether {@code field} was one of the context's (and is now read). */
    boolean read(int field, CodedInputStream in) throws IOException {
      switch (field) {
        case 1 -> traceHigh = in.readFixed64();
        case 2 -> traceLow = in.readFixed64();
        case 3 -> spanId = in.readFixed64();
        case 4 -> traceState = in.readString();
        default -> {
          return false;
        }
      }
      return true;
    }

    TraceId traceId() {
      return new TraceId(traceHigh, traceLow);
    }

    SpanId spanId() {
      return new SpanId(spanId);
    }
  }
}
