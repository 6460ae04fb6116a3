package dev.glust.adapter.kafka;

import static dev.glust.adapter.kafka.ProtoBatch.attributes;
import static dev.glust.adapter.kafka.ProtoBatch.nested;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Exemplar;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.metric.PointValue;
import dev.glust.domain.metric.SummaryValue;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * MetricBatch of glust_batch.proto: one record per data point, each naming its metric's descriptor
 * (name, kind, temporality, resource, scope), which the batch holds once.
 *
 * <p>Points have no trace id to key by. They are keyed by their series: a digest of what makes the
 * stored series (PostgreSQL's {@code series_id}): the metric's name, kind, unit, temporality and
 * monotonicity, its resource and scope, and the point's attributes, attribute sets sorted by key.
 * So one series' points land in one partition, in the order a receiver published them, and one
 * writer at a time stores them; different series spread over the partitions. The key only picks the
 * partition: two series sharing one by a digest collision only share a partition.
 */
final class MetricCodec implements BatchCodec<MetricPoint> {
  private static final int KEY_BYTES = 16;

  /** The last metric keyed and its part of the digest: a metric's points come one after another. */
  private volatile SeriesPrefix lastKeyed;

  private record SeriesPrefix(Metric metric, MessageDigest digest) {}

  @Override
  public byte[] encode(List<MetricPoint> points) {
    return ProtoBatch.encode(points, MetricCodec::write);
  }

  @Override
  public List<MetricPoint> decode(byte[] value) throws MalformedBatchException {
    Map<Integer, Metric> metrics = new HashMap<>(); // one instance per descriptor, as received
    return ProtoBatch.decode(value, (in, tables) -> read(in, tables, metrics));
  }

  @Override
  public byte[] key(MetricPoint point) {
    SeriesPrefix prefix = lastKeyed;
    if (prefix == null || prefix.metric() != point.metric()) {
      prefix = new SeriesPrefix(point.metric(), seriesDigest(point.metric()));
      lastKeyed = prefix;
    }
    MessageDigest digest = copy(prefix.digest());
    digest.update(new ProtoOut().message(12, canonical(point.point().attributes())).toBytes());
    return Arrays.copyOf(digest.digest(), KEY_BYTES);
  }

  private static MessageDigest seriesDigest(Metric m) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    digest.update(
        new ProtoOut()
            .string(1, m.name())
            .uint32(2, m.kind().code())
            .string(3, m.unit())
            .uint32(4, m.temporality().code())
            .bool(5, m.monotonic())
            .message(6, canonical(m.resource().attributes()))
            .string(7, m.resource().schemaUrl())
            .string(8, m.scope().name())
            .string(9, m.scope().version())
            .message(10, canonical(m.scope().attributes()))
            .string(11, m.scope().schemaUrl())
            .toBytes());
    return digest;
  }

  /** An attribute set as a set: sorted by key, the dropped count left out. */
  private static ProtoOut canonical(Attributes attributes) {
    List<Attribute> sorted = new ArrayList<>(attributes.entries());
    sorted.sort(Comparator.comparing(Attribute::key));
    return attributes(new Attributes(sorted, 0));
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  private static ProtoOut write(MetricPoint p, ProtoBatch.Origins origins) {
    DataPoint point = p.point();
    ProtoOut out =
        new ProtoOut()
            .uint32(1, origins.descriptor(p.metric(), MetricCodec::descriptor))
            .message(2, attributes(point.attributes()))
            .fixed64(3, point.startTimeUnixNano())
            .fixed64(4, point.timeUnixNano())
            .fixed32(5, point.flags());
    PointValue value = point.value();
    if (value instanceof NumberValue n) {
      number(out, 6, 7, n.value());
    } else if (value instanceof HistogramValue h) {
      out.message(8, histogram(h));
    } else if (value instanceof ExponentialHistogramValue e) {
      out.message(9, exponentialHistogram(e));
    } else if (value instanceof SummaryValue s) {
      out.message(10, summary(s));
    }
    point.exemplars().forEach(e -> out.message(11, exemplar(e)));
    return out;
  }

  private static ProtoOut descriptor(Metric m, ProtoBatch.Origins origins) {
    return new ProtoOut()
        .string(1, m.name())
        .string(2, m.description())
        .string(3, m.unit())
        .uint32(4, m.kind().code())
        .uint32(5, m.temporality().code())
        .bool(6, m.monotonic())
        .uint32(7, origins.resource(m.resource()))
        .uint32(8, origins.scope(m.scope()));
  }

  /** OTLP's as_int / as_double one-of, kept apart as sent. */
  private static void number(ProtoOut out, int intField, int doubleField, Number value) {
    if (value instanceof Long l) {
      out.sint64Always(intField, l);
    } else {
      out.doubleAlways(doubleField, value.doubleValue());
    }
  }

  /** Fields 1–4 of both histogram kinds: count, then sum, min and max when present. */
  private static ProtoOut counted(long count, OptionalDouble... sumMinMax) {
    ProtoOut out = new ProtoOut().uint64(1, count);
    for (int i = 0; i < sumMinMax.length; i++) {
      if (sumMinMax[i].isPresent()) {
        out.doubleAlways(2 + i, sumMinMax[i].getAsDouble());
      }
    }
    return out;
  }

  private static ProtoOut histogram(HistogramValue h) {
    return counted(h.count(), h.sum(), h.min(), h.max())
        .packedUInt64(5, h.bucketCounts())
        .packedDouble(6, h.explicitBounds());
  }

  private static ProtoOut exponentialHistogram(ExponentialHistogramValue e) {
    return counted(e.count(), e.sum(), e.min(), e.max())
        .sint32(5, e.scale())
        .uint64(6, e.zeroCount())
        .doubleAlways(7, e.zeroThreshold())
        .message(8, buckets(e.positive()))
        .message(9, buckets(e.negative()));
  }

  private static ProtoOut buckets(Buckets b) {
    return new ProtoOut().sint32(1, b.offset()).packedUInt64(2, b.counts());
  }

  private static ProtoOut summary(SummaryValue s) {
    ProtoOut out = new ProtoOut().uint64(1, s.count()).doubleAlways(2, s.sum());
    for (SummaryValue.Quantile q : s.quantiles()) {
      out.message(3, new ProtoOut().doubleAlways(1, q.quantile()).doubleAlways(2, q.value()));
    }
    return out;
  }

  private static ProtoOut exemplar(Exemplar e) {
    ProtoOut out = new ProtoOut().fixed64(1, e.timeUnixNano());
    number(out, 2, 3, e.value());
    if (e.traceId() != null) {
      out.fixed64(4, e.traceId().high()).fixed64(5, e.traceId().low());
    }
    if (e.spanId() != null) {
      out.fixed64(6, e.spanId().value());
    }
    return out.message(7, attributes(e.filteredAttributes()));
  }

  private static MetricPoint read(
      CodedInputStream in, ProtoBatch.Origins.Tables tables, Map<Integer, Metric> metrics)
      throws IOException {
    int metric = 0;
    Attributes attributes = Attributes.EMPTY;
    long start = 0;
    long time = 0;
    int flags = 0;
    PointValue value = null;
    List<Exemplar> exemplars = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> metric = in.readUInt32();
        case 2 -> attributes = nested(in, ProtoBatch::readAttributes);
        case 3 -> start = in.readFixed64();
        case 4 -> time = in.readFixed64();
        case 5 -> flags = in.readFixed32();
        case 6 -> value = NumberValue.of(in.readSInt64());
        case 7 -> value = NumberValue.of(in.readDouble());
        case 8 -> value = nested(in, MetricCodec::readHistogram);
        case 9 -> value = nested(in, MetricCodec::readExponentialHistogram);
        case 10 -> value = nested(in, MetricCodec::readSummary);
        case 11 -> exemplars.add(nested(in, MetricCodec::readExemplar));
        default -> in.skipField(tag);
      }
    }
    return new MetricPoint(
        metric(metric, tables, metrics),
        new DataPoint(attributes, start, time, flags, value, exemplars));
  }

  private static Metric metric(
      int index, ProtoBatch.Origins.Tables tables, Map<Integer, Metric> read) throws IOException {
    Metric metric = read.get(index);
    if (metric == null) {
      metric =
          readDescriptor(CodedInputStream.newInstance(tables.descriptors().get(index)), tables);
      read.put(index, metric);
    }
    return metric;
  }

  private static Metric readDescriptor(CodedInputStream in, ProtoBatch.Origins.Tables tables)
      throws IOException {
    String name = "";
    String description = "";
    String unit = "";
    int kind = 0;
    int temporality = 0;
    boolean monotonic = false;
    int resource = 0;
    int scope = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> description = in.readString();
        case 3 -> unit = in.readString();
        case 4 -> kind = in.readUInt32();
        case 5 -> temporality = in.readUInt32();
        case 6 -> monotonic = in.readBool();
        case 7 -> resource = in.readUInt32();
        case 8 -> scope = in.readUInt32();
        default -> in.skipField(tag);
      }
    }
    return new Metric(
        name,
        description,
        unit,
        MetricKind.fromCode(kind),
        AggregationTemporality.fromCode(temporality),
        monotonic,
        tables.resources().get(resource),
        tables.scopes().get(scope));
  }

  /** Fields 1–4 of both histogram kinds as read. */
  private static final class Counted {
    private long count;
    private final OptionalDouble[] sumMinMax = {
      OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()
    };

    /** Whether {@code field} was one of the four (and is now read). */
    boolean read(int field, CodedInputStream in) throws IOException {
      if (field == 1) {
        count = in.readUInt64();
      } else if (field >= 2 && field <= 4) {
        sumMinMax[field - 2] = OptionalDouble.of(in.readDouble());
      } else {
        return false;
      }
      return true;
    }
  }

  private static HistogramValue readHistogram(CodedInputStream in) throws IOException {
    Counted counted = new Counted();
    List<Long> counts = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (counted.read(field, in)) {
        continue;
      }
      switch (field) {
        case 5 -> ProtoBatch.readPacked(in, tag, CodedInputStream::readUInt64, counts);
        case 6 -> ProtoBatch.readPacked(in, tag, CodedInputStream::readDouble, bounds);
        default -> in.skipField(tag);
      }
    }
    OptionalDouble[] s = counted.sumMinMax;
    return new HistogramValue(counted.count, s[0], s[1], s[2], counts, bounds);
  }

  private static ExponentialHistogramValue readExponentialHistogram(CodedInputStream in)
      throws IOException {
    Counted counted = new Counted();
    int scale = 0;
    long zeroCount = 0;
    double zeroThreshold = 0;
    Buckets positive = Buckets.EMPTY;
    Buckets negative = Buckets.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (counted.read(field, in)) {
        continue;
      }
      switch (field) {
        case 5 -> scale = in.readSInt32();
        case 6 -> zeroCount = in.readUInt64();
        case 7 -> zeroThreshold = in.readDouble();
        case 8 -> positive = nested(in, MetricCodec::readBuckets);
        case 9 -> negative = nested(in, MetricCodec::readBuckets);
        default -> in.skipField(tag);
      }
    }
    OptionalDouble[] s = counted.sumMinMax;
    return new ExponentialHistogramValue(
        counted.count, s[0], s[1], s[2], scale, zeroCount, zeroThreshold, positive, negative);
  }

  private static Buckets readBuckets(CodedInputStream in) throws IOException {
    int offset = 0;
    List<Long> counts = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> offset = in.readSInt32();
        case 2 -> ProtoBatch.readPacked(in, tag, CodedInputStream::readUInt64, counts);
        default -> in.skipField(tag);
      }
    }
    return new Buckets(offset, counts);
  }

  private static SummaryValue readSummary(CodedInputStream in) throws IOException {
    long count = 0;
    double sum = 0;
    List<SummaryValue.Quantile> quantiles = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> count = in.readUInt64();
        case 2 -> sum = in.readDouble();
        case 3 -> quantiles.add(nested(in, MetricCodec::readQuantile));
        default -> in.skipField(tag);
      }
    }
    return new SummaryValue(count, sum, quantiles);
  }

  private static SummaryValue.Quantile readQuantile(CodedInputStream in) throws IOException {
    double quantile = 0;
    double value = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> quantile = in.readDouble();
        case 2 -> value = in.readDouble();
        default -> in.skipField(tag);
      }
    }
    return new SummaryValue.Quantile(quantile, value);
  }

  private static Exemplar readExemplar(CodedInputStream in) throws IOException {
    long time = 0;
    Number value = null;
    long traceHigh = 0;
    long traceLow = 0;
    long spanId = 0;
    Attributes filtered = Attributes.EMPTY;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> time = in.readFixed64();
        case 2 -> value = in.readSInt64();
        case 3 -> value = in.readDouble();
        case 4 -> traceHigh = in.readFixed64();
        case 5 -> traceLow = in.readFixed64();
        case 6 -> spanId = in.readFixed64();
        case 7 -> filtered = nested(in, ProtoBatch::readAttributes);
        default -> in.skipField(tag);
      }
    }
    return new Exemplar(
        time,
        value,
        traceHigh == 0 && traceLow == 0 ? null : new TraceId(traceHigh, traceLow),
        spanId == 0 ? null : new SpanId(spanId),
        filtered);
  }
}
