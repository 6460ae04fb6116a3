package dev.glust.application.service;

import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.trace.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the span tree of a trace: children under their parents, oldest first; spans whose parent
 * is not stored become roots flagged as orphans. Cycles (a corrupt sender) cannot loop: every span
 * is placed exactly once.
 */
final class TraceTree {
  private static final Comparator<Span> OLDEST_FIRST =
      Comparator.comparingLong(Span::startTimeUnixNano).thenComparing(s -> s.spanId().toHex());

  private TraceTree() {}

  static List<SpanNode> build(List<Span> spans) {
    Map<SpanId, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    Map<SpanId, List<Span>> children = new HashMap<>();
    List<Span> roots = new ArrayList<>();
    for (Span s : byId.values()) {
      if (s.isRoot() || !byId.containsKey(s.parentSpanId())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    roots.sort(OLDEST_FIRST);
    Set<SpanId> placed = new HashSet<>();
    List<SpanNode> tree = new ArrayList<>();
    for (Span root : roots) {
      tree.add(node(root, !root.isRoot(), children, placed));
    }
    for (Span s : byId.values()) { // spans caught in a parent cycle reach no root
      if (!placed.contains(s.spanId())) {
        tree.add(node(s, true, children, placed));
      }
    }
    return tree;
  }

  private static SpanNode node(
      Span span, boolean orphan, Map<SpanId, List<Span>> children, Set<SpanId> placed) {
    placed.add(span.spanId());
    List<SpanNode> nodes = new ArrayList<>();
    List<Span> own = new ArrayList<>(children.getOrDefault(span.spanId(), List.of()));
    own.sort(OLDEST_FIRST);
    for (Span child : own) {
      if (!placed.contains(child.spanId())) {
        nodes.add(node(child, false, children, placed));
      }
    }
    return new SpanNode(span, orphan, nodes);
  }
}
