package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void traceIdRoundTripsHexInEitherCaseAndPrintsLowerCase() {
    TraceId upper = TraceId.fromHex("5B8EFFF798038103D269B633813FC60C");
    TraceId lower = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
    assertThat(upper).isEqualTo(lower);
    assertThat(upper.toHex()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(TraceId.fromBytes(upper.toBytes())).isEqualTo(upper);
  }

  @Test
  void allZeroIdsAreInvalid() {
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[16]))
        .isInstanceOf(InvalidTelemetryException.class)
        .hasMessageContaining("all zero");
    assertThatThrownBy(() -> SpanId.fromBytes(new byte[8]))
        .isInstanceOf(InvalidTelemetryException.class)
        .hasMessageContaining("all zero");
  }

  @Test
  void wrongLengthsAndNonHexAreInvalid() {
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[8]))
        .isInstanceOf(InvalidTelemetryException.class)
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> SpanId.fromHex("abc")).isInstanceOf(InvalidTelemetryException.class);
    assertThatThrownBy(() -> SpanId.fromHex("zzzzzzzzzzzzzzzz"))
        .isInstanceOf(InvalidTelemetryException.class)
        .hasMessageContaining("not hex");
  }

  @Test
  void spanIdKeepsTheHighBit() {
    SpanId id = SpanId.fromHex("ffffffffffffffff");
    assertThat(id.toHex()).isEqualTo("ffffffffffffffff");
  }
}
