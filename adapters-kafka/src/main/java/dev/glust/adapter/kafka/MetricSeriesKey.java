package dev.glust.adapter.kafka;

import dev.glust.adapter.mapping.otlp.DomainToOtlp;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricPoint;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The partition key of a data point, which has no trace id to key by: a digest of what makes the
 * stored series (PostgreSQL's {@code series_id}): the metric's name, kind, unit, temporality and
 * monotonicity, its resource and scope, and the point's attributes, attribute sets sorted by key.
 * So one series' points land in one partition, in the order a receiver published them, and one
 * writer at a time stores them; different series spread over the partitions. The key only picks the
 * partition: two series sharing one by a digest collision only share a partition.
 */
final class MetricSeriesKey {
  private static final int KEY_BYTES = 16;

  /** The last metric keyed and its part of the digest: a metric's points come one after another. */
  private volatile SeriesPrefix lastKeyed;

  private record SeriesPrefix(Metric metric, MessageDigest digest) {}

  byte[] of(MetricPoint point) {
    SeriesPrefix prefix = lastKeyed;
    if (prefix == null || prefix.metric() != point.metric()) {
      prefix = new SeriesPrefix(point.metric(), seriesDigest(point.metric()));
      lastKeyed = prefix;
    }
    MessageDigest digest = copy(prefix.digest());
    digest.update(canonical(point.point().attributes()).toByteArray());
    return Arrays.copyOf(digest.digest(), KEY_BYTES);
  }

  private static MessageDigest seriesDigest(Metric m) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    List<Attribute> identity =
        List.of(
            Attribute.of("name", m.name()),
            Attribute.of("kind", m.kind().code()),
            Attribute.of("unit", m.unit()),
            Attribute.of("temporality", m.temporality().code()),
            new Attribute("monotonic", AnyValue.of(m.monotonic())),
            new Attribute(
                "resource", new AnyValue.KeyValueListValue(sorted(m.resource().attributes()))),
            Attribute.of("resource.schema_url", m.resource().schemaUrl()),
            Attribute.of("scope.name", m.scope().name()),
            Attribute.of("scope.version", m.scope().version()),
            new Attribute("scope", new AnyValue.KeyValueListValue(sorted(m.scope().attributes()))),
            Attribute.of("scope.schema_url", m.scope().schemaUrl()));
    digest.update(
        KeyValueList.newBuilder()
            .addAllValues(DomainToOtlp.keyValues(identity))
            .build()
            .toByteArray());
    return digest;
  }

  private static KeyValueList canonical(Attributes attributes) {
    return KeyValueList.newBuilder()
        .addAllValues(DomainToOtlp.keyValues(sorted(attributes)))
        .build();
  }

  /** An attribute set as a set: sorted by key, the dropped count left out. */
  private static List<Attribute> sorted(Attributes attributes) {
    List<Attribute> sorted = new ArrayList<>(attributes.entries());
    sorted.sort(Comparator.comparing(Attribute::key));
    return sorted;
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }
}
