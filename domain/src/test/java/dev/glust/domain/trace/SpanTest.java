package dev.glust.domain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.testing.SampleTelemetry;
import org.junit.jupiter.api.Test;

class SpanTest {
  @Test
  void limitsApplyToSpanEventAndLinkAttributes() {
    Span limited = SampleTelemetry.span().limitedBy(new AttributeLimits(0, -1));
    assertThat(limited.attributes().entries()).isEmpty();
    assertThat(limited.attributes().droppedCount()).isEqualTo(3 + 9);
    assertThat(limited.events().get(0).attributes().droppedCount()).isEqualTo(1);
    assertThat(limited.links().get(0).attributes().droppedCount()).isEqualTo(1);
    assertThat(limited.name()).isEqualTo("GET /checkout");
  }

  @Test
  void unknownKindAndStatusNumbersDegradeGracefully() {
    assertThat(SpanKind.fromCode(42)).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(SpanKind.fromCode(2)).isEqualTo(SpanKind.SERVER);
    assertThat(SpanStatus.Code.fromCode(-1)).isEqualTo(SpanStatus.Code.UNSET);
    assertThat(SpanStatus.Code.fromCode(2)).isEqualTo(SpanStatus.Code.ERROR);
  }

  @Test
  void serviceNameIsTheResources() {
    assertThat(SampleTelemetry.span().serviceName()).isEqualTo("checkout");
  }
}
