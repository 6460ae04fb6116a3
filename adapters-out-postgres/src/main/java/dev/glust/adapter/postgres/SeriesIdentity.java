package dev.glust.adapter.postgres;

import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code series_id} of a data point (migration V4): the first 16 bytes of SHA-256 over its
 * metric's name, kind, unit, temporality and monotonicity, its resource (attributes, schema URL),
 * its scope (name, version, attributes, schema URL) and its own attributes. Each field is length
 * prefixed, and attribute sets are sorted by key (the OTel data model: a set, not a list), so equal
 * series get equal ids whatever order a sender lists attributes in. The description and dropped
 * counts are not part of it.
 *
 * <p>One instance per batch: the metric's part is digested once per {@link Metric} instance (the
 * points of a metric share it), and each point only adds its attributes to a copy.
 */
final class SeriesIdentity {
  private final Map<Metric, MessageDigest> metricDigests = new IdentityHashMap<>();

  byte[] of(MetricPoint point) {
    MessageDigest digest = copy(metricDigests.computeIfAbsent(point.metric(), SeriesIdentity::of));
    field(digest, canonical(point.point().attributes()));
    return Arrays.copyOf(digest.digest(), BinaryCopyRow.IDENTITY_BYTES);
  }

  private static MessageDigest of(Metric metric) {
    MessageDigest digest = BinaryCopyRow.sha256();
    field(digest, metric.name());
    field(digest, Integer.toString(metric.kind().code()));
    field(digest, metric.unit());
    field(digest, Integer.toString(metric.temporality().code()));
    field(digest, Boolean.toString(metric.monotonic()));
    field(digest, canonical(metric.resource().attributes()));
    field(digest, metric.resource().schemaUrl());
    field(digest, metric.scope().name());
    field(digest, metric.scope().version());
    field(digest, canonical(metric.scope().attributes()));
    field(digest, metric.scope().schemaUrl());
    return digest;
  }

  private static byte[] canonical(Attributes attributes) {
    if (attributes.entries().size() < 2) {
      return JsonbCodec.attributes(attributes);
    }
    List<Attribute> sorted = new ArrayList<>(attributes.entries());
    sorted.sort(Comparator.comparing(Attribute::key));
    return JsonbCodec.attributes(new Attributes(sorted, 0));
  }

  private static void field(MessageDigest digest, String text) {
    field(digest, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The length as 4 big-endian bytes, then the bytes (fed byte by byte: no buffer per field). */
  private static void field(MessageDigest digest, byte[] bytes) {
    int length = bytes.length;
    digest.update((byte) (length >>> 24));
    digest.update((byte) (length >>> 16));
    digest.update((byte) (length >>> 8));
    digest.update((byte) length);
    digest.update(bytes);
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }
}
