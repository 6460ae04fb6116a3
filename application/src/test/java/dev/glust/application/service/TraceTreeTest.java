package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  private static Span span(int id, Integer parent, long start) {
    Span s =
        SampleTelemetry.span(
            SampleTelemetry.TRACE_ID,
            new SpanId(id),
            parent == null ? null : new SpanId(parent),
            "op" + id);
    return SampleTelemetry.withTimes(s, start, start + 10);
  }

  private static String shape(List<SpanNode> nodes) {
    StringBuilder out = new StringBuilder();
    for (SpanNode n : nodes) {
      out.append(n.span().name()).append(n.orphan() ? "!" : "");
      if (!n.children().isEmpty()) {
        out.append("(").append(shape(n.children())).append(")");
      }
      out.append(" ");
    }
    return out.toString().trim();
  }

  @Test
  void childrenNestUnderParentsOldestFirst() {
    List<SpanNode> tree =
        TraceTree.build(List.of(span(3, 1, 30), span(2, 1, 20), span(1, null, 10), span(4, 2, 25)));
    assertThat(shape(tree)).isEqualTo("op1(op2(op4) op3)");
  }

  @Test
  void spansWhoseParentIsMissingAreFlaggedRoots() {
    List<SpanNode> tree =
        TraceTree.build(List.of(span(1, null, 10), span(5, 99, 5), span(6, 5, 6)));
    assertThat(shape(tree)).isEqualTo("op5!(op6) op1");
  }

  @Test
  void aParentCycleCannotLoseOrRepeatSpans() {
    List<SpanNode> tree = TraceTree.build(List.of(span(1, 2, 10), span(2, 1, 20)));
    assertThat(shape(tree)).isEqualTo("op1!(op2)");
  }

  @Test
  void aSpanSentTwiceAppearsOnce() {
    assertThat(shape(TraceTree.build(List.of(span(1, null, 10), span(1, null, 10)))))
        .isEqualTo("op1");
  }
}
