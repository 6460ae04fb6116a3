package dev.glust.adapter.query.prometheus;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A series' label set, sorted by name (its identity in matching, grouping and output). */
record Labels(SortedMap<String, String> map) {
  static final String NAME = "__name__";
  static final Labels EMPTY = new Labels(new TreeMap<>());

  Labels {
    map = Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  static Labels of(Map<String, String> labels) {
    return new Labels(new TreeMap<>(labels));
  }

  /** The value of {@code name}, "" when absent (PromQL treats both alike). */
  String get(String name) {
    return map.getOrDefault(name, "");
  }

  Labels withoutName() {
    return without(java.util.List.of(NAME));
  }

  Labels without(Collection<String> names) {
    TreeMap<String, String> out = new TreeMap<>(map);
    out.keySet().removeAll(names);
    return new Labels(out);
  }

  /** Only {@code names} (the others dropped), as {@code by (…)} groups. */
  Labels only(Collection<String> names) {
    TreeMap<String, String> out = new TreeMap<>();
    for (String name : names) {
      if (map.containsKey(name)) {
        out.put(name, map.get(name));
      }
    }
    return new Labels(out);
  }

  Labels with(String name, String value) {
    TreeMap<String, String> out = new TreeMap<>(map);
    out.put(name, value);
    return new Labels(out);
  }
}
