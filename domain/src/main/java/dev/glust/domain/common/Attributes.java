package dev.glust.domain.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of a record and how many were dropped on the way (by the SDK, or by our limits).
 * Keys are unique: OTLP forbids duplicates, and when a sender repeats a key the last value wins and
 * the earlier one counts as dropped. The count saturates at {@link Integer#MAX_VALUE} (see {@link
 * DroppedCounts}).
 */
public record Attributes(List<Attribute> entries, int droppedCount) {
  public static final Attributes EMPTY = new Attributes(List.of(), 0);

  public Attributes {
    if (droppedCount < 0) {
      throw new InvalidTelemetryException("dropped attributes count must not be negative");
    }
    int before = entries.size();
    entries = unique(entries);
    droppedCount = DroppedCounts.add(droppedCount, before - entries.size());
  }

  public static Attributes of(Attribute... entries) {
    return new Attributes(List.of(entries), 0);
  }

  /** These attributes with one more (replacing one of the same key). */
  public Attributes with(String key, AnyValue value) {
    List<Attribute> more = new ArrayList<>(entries);
    more.add(new Attribute(key, value));
    return new Attributes(more, droppedCount);
  }

  public Optional<AnyValue> get(String key) {
    for (Attribute a : entries) {
      if (a.key().equals(key)) {
        return Optional.of(a.value());
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  private static List<Attribute> unique(List<Attribute> entries) {
    if (entries.size() <= 16 && !hasRepeatedKey(entries)) { // cheap check for the usual small set
      return List.copyOf(entries);
    }
    Map<String, Attribute> byKey = new LinkedHashMap<>();
    for (Attribute a : entries) {
      byKey.remove(a.key());
      byKey.put(a.key(), a);
    }
    return List.copyOf(byKey.values());
  }

  private static boolean hasRepeatedKey(List<Attribute> entries) {
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        if (entries.get(i).key().equals(entries.get(j).key())) {
          return true;
        }
      }
    }
    return false;
  }
}
