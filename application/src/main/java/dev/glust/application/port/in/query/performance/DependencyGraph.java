package dev.glust.application.port.in.query.performance;

import java.util.List;
import java.util.Objects;

/**
 * Who called whom in a time range. Nodes: every service on an edge or with spans in the range, by
 * name, with the calls it served (spans of kind SERVER and CONSUMER; all its spans when it has none
 * of those). Edges: parent service → child service, by parent then child, with the calls (child
 * spans) between them. Rates are per second of the range from {@code startUnixNano} (the start of
 * its first minute).
 */
public record DependencyGraph(
    long startUnixNano, long endUnixNano, List<Node> nodes, List<Edge> edges) {
  public DependencyGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  public record Node(String name, CallStats calls) {
    public Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(calls, "calls");
    }
  }

  public record Edge(String parent, String child, CallStats calls) {
    public Edge {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(calls, "calls");
    }
  }
}
