package dev.glust.domain.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricKindTest {
  @Test
  void codesAndLabelsRoundTrip() {
    for (MetricKind kind : MetricKind.values()) {
      assertThat(MetricKind.fromCode(kind.code())).isEqualTo(kind);
      assertThat(MetricKind.fromLabel(kind.label())).contains(kind);
    }
    assertThat(MetricKind.EXPONENTIAL_HISTOGRAM.code()).isEqualTo(4);
  }

  @Test
  void unknownCodesAndLabelsAreRefused() {
    assertThatThrownBy(() -> MetricKind.fromCode(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(MetricKind.fromLabel("counter")).isEmpty();
  }

  @Test
  void unknownTemporalityReadsAsUnspecified() {
    assertThat(AggregationTemporality.fromCode(2)).isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(AggregationTemporality.fromCode(7)).isEqualTo(AggregationTemporality.UNSPECIFIED);
  }
}
