package dev.glust.domain.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The OTel SDK's attribute limits, applied again on ingest so that one chatty client cannot bloat
 * storage: at most {@code maxCount} attributes per record (the rest dropped and counted) and string
 * values cut to {@code maxValueLength} characters ({@code -1}: no limit, the SDK default).
 */
public record AttributeLimits(int maxCount, int maxValueLength) {
  public static final int NO_LIMIT = -1;
  public static final AttributeLimits OTEL_DEFAULTS = new AttributeLimits(128, NO_LIMIT);

  public AttributeLimits {
    if (maxCount < 0) {
      throw new IllegalArgumentException("attribute count limit must not be negative: " + maxCount);
    }
    if (maxValueLength < NO_LIMIT) {
      throw new IllegalArgumentException("attribute length limit must be -1 or more");
    }
  }

  /** Whether {@link #apply} would return these attributes unchanged. */
  public boolean allows(Attributes attributes) {
    return attributes.entries().size() <= maxCount && maxValueLength == NO_LIMIT;
  }

  public Attributes apply(Attributes attributes) {
    List<Attribute> entries = attributes.entries();
    int kept = Math.min(entries.size(), maxCount);
    if (kept == entries.size() && maxValueLength == NO_LIMIT) {
      return attributes;
    }
    List<Attribute> limited = new ArrayList<>(kept);
    for (int i = 0; i < kept; i++) {
      Attribute a = entries.get(i);
      limited.add(new Attribute(a.key(), truncate(a.value())));
    }
    return new Attributes(limited, attributes.droppedCount() + entries.size() - kept);
  }

  /** Like the SDK: strings, and strings inside arrays, are cut; other types are left whole. */
  private AnyValue truncate(AnyValue value) {
    if (maxValueLength == NO_LIMIT) {
      return value;
    }
    if (value instanceof AnyValue.StringValue s) {
      return AnyValue.of(Text.truncate(s.value(), maxValueLength));
    }
    if (value instanceof AnyValue.ArrayValue a) {
      return new AnyValue.ArrayValue(a.values().stream().map(this::truncate).toList());
    }
    return value;
  }
}
