package dev.glust.domain.common;

import java.util.ArrayList;
import java.util.List;

/**
 * What one record may hold, applied on ingest so that one chatty or broken client cannot bloat
 * storage. Like the OTel SDK's attribute limits: at most {@code maxCount} attributes per record
 * (the rest dropped and counted), string values (also inside arrays and key-value lists) cut to
 * {@code maxValueLength} characters, keys cut to {@code maxKeyLength}; beyond the SDK: arrays and
 * key-value lists nested deeper than {@code maxDepth} levels are cut there (the deeper value
 * becomes empty), and string log bodies are cut to {@code maxBodyLength} characters. {@code -1}: no
 * limit. The attribute limits apply to resources and instrumentation scopes too.
 *
 * <p>Names that PostgreSQL keeps in B-tree indexes ({@code service.name}, metric names) are cut to
 * {@link #MAX_NAME_LENGTH} whatever the settings: a B-tree index row holds at most 2704 bytes, and
 * a longer value fails the whole batch's write.
 */
public record RecordLimits(
    int maxCount, int maxValueLength, int maxKeyLength, int maxDepth, int maxBodyLength) {
  public static final int NO_LIMIT = -1;
  public static final int DEFAULT_MAX_KEY_LENGTH = 1024;
  public static final int DEFAULT_MAX_DEPTH = 10;
  public static final int DEFAULT_MAX_BODY_LENGTH = 256 * 1024;
  public static final RecordLimits OTEL_DEFAULTS = new RecordLimits(128, NO_LIMIT);

  /**
   * The longest {@code service.name} or metric name, in UTF-16 code units: at most 768 bytes in
   * UTF-8 (a 4-byte character takes two units), so an index row of two names and a timestamp stays
   * far below the B-tree maximum of 2704 bytes.
   */
  public static final int MAX_NAME_LENGTH = 256;

  public RecordLimits {
    if (maxCount < 0) {
      throw new IllegalArgumentException("attribute count limit must not be negative: " + maxCount);
    }
    requireLimit(maxValueLength, "attribute length limit");
    requireLimit(maxKeyLength, "attribute key length limit");
    requireLimit(maxBodyLength, "log body length limit");
    if (maxDepth < 1) {
      throw new IllegalArgumentException("nesting depth limit must be at least 1: " + maxDepth);
    }
  }

  /** The SDK's two limits with Glust's defaults for the others. */
  public RecordLimits(int maxCount, int maxValueLength) {
    this(
        maxCount,
        maxValueLength,
        DEFAULT_MAX_KEY_LENGTH,
        DEFAULT_MAX_DEPTH,
        DEFAULT_MAX_BODY_LENGTH);
  }

  private static void requireLimit(int limit, String what) {
    if (limit < NO_LIMIT) {
      throw new IllegalArgumentException(what + " must be -1 or more: " + limit);
    }
  }

  /** Whether {@link #apply} would return these attributes unchanged. */
  public boolean allows(Attributes attributes) {
    List<Attribute> entries = attributes.entries();
    if (entries.size() > maxCount) {
      return false;
    }
    for (Attribute a : entries) {
      if (!fits(a.key(), maxKeyLength) || !fits(a.value(), maxValueLength, 0)) {
        return false;
      }
    }
    return true;
  }

  public Attributes apply(Attributes attributes) {
    if (allows(attributes)) {
      return attributes;
    }
    List<Attribute> entries = attributes.entries();
    int kept = Math.min(entries.size(), maxCount);
    List<Attribute> limited = new ArrayList<>(kept);
    for (int i = 0; i < kept; i++) {
      Attribute a = entries.get(i);
      limited.add(
          new Attribute(Text.truncate(a.key(), maxKeyLength), cut(a.value(), maxValueLength, 0)));
    }
    // keys cut to the same prefix collide: Attributes keeps the last and counts the others
    return new Attributes(
        limited, DroppedCounts.add(attributes.droppedCount(), entries.size() - kept));
  }

  public static boolean nameFits(String name) {
    return name.length() <= MAX_NAME_LENGTH;
  }

  /** {@code name} cut to {@link #MAX_NAME_LENGTH} without splitting a surrogate pair. */
  public static String cutName(String name) {
    return Text.truncate(name, MAX_NAME_LENGTH);
  }

  /** Whether {@link #apply(Resource)} would return this resource unchanged. */
  public boolean allows(Resource resource) {
    return resource.serviceNameFits() && allows(resource.attributes());
  }

  /** The resource with these limits applied to its attributes and its service.name cut. */
  public Resource apply(Resource resource) {
    if (allows(resource)) {
      return resource;
    }
    return new Resource(cutServiceName(apply(resource.attributes())), resource.schemaUrl());
  }

  public InstrumentationScope apply(InstrumentationScope scope) {
    if (allows(scope.attributes())) {
      return scope;
    }
    return new InstrumentationScope(
        scope.name(), scope.version(), apply(scope.attributes()), scope.schemaUrl());
  }

  private static Attributes cutServiceName(Attributes attributes) {
    List<Attribute> entries = new ArrayList<>(attributes.entries().size());
    for (Attribute a : attributes.entries()) {
      entries.add(
          a.key().equals(Resource.SERVICE_NAME) && a.value() instanceof AnyValue.StringValue s
              ? new Attribute(a.key(), AnyValue.of(cutName(s.value())))
              : a);
    }
    return new Attributes(entries, attributes.droppedCount());
  }

  /** Whether {@link #limitBody} would return this log body unchanged. */
  public boolean allowsBody(AnyValue body) {
    return fits(body, maxBodyLength, 0);
  }

  /** A log body with strings cut to {@code maxBodyLength} and nesting to {@code maxDepth}. */
  public AnyValue limitBody(AnyValue body) {
    return allowsBody(body) ? body : cut(body, maxBodyLength, 0);
  }

  private boolean fits(AnyValue value, int maxLength, int depth) {
    if (value instanceof AnyValue.StringValue s) {
      return fits(s.value(), maxLength);
    }
    if (value instanceof AnyValue.ArrayValue a) {
      return depth < maxDepth && a.values().stream().allMatch(v -> fits(v, maxLength, depth + 1));
    }
    if (value instanceof AnyValue.KeyValueListValue kv) {
      return depth < maxDepth
          && kv.values().stream()
              .allMatch(e -> fits(e.key(), maxKeyLength) && fits(e.value(), maxLength, depth + 1));
    }
    return true;
  }

  private static boolean fits(String s, int maxLength) {
    return maxLength == NO_LIMIT || s.length() <= maxLength;
  }

  private AnyValue cut(AnyValue value, int maxLength, int depth) {
    if (value instanceof AnyValue.StringValue s) {
      return AnyValue.of(Text.truncate(s.value(), maxLength));
    }
    if (value instanceof AnyValue.ArrayValue a) {
      return depth >= maxDepth
          ? AnyValue.EMPTY
          : new AnyValue.ArrayValue(
              a.values().stream().map(v -> cut(v, maxLength, depth + 1)).toList());
    }
    if (value instanceof AnyValue.KeyValueListValue kv) {
      return depth >= maxDepth
          ? AnyValue.EMPTY
          : new AnyValue.KeyValueListValue(
              kv.values().stream()
                  .map(
                      e ->
                          new Attribute(
                              Text.truncate(e.key(), maxKeyLength),
                              cut(e.value(), maxLength, depth + 1)))
                  .toList());
    }
    return value;
  }
}
