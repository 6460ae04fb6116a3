package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {
  @Test
  void withoutOptionsItSendsFiveRequestsASecondToTheLocalGrpcPortUntilStopped() {
    assertThat(DemoTraffic.Settings.parse())
        .isEqualTo(
            new DemoTraffic.Settings(
                "http://localhost:4317", Optional.empty(), 5, Optional.empty()));
  }

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    assertThat(
            DemoTraffic.Settings.parse(
                "--rate=20", "--endpoint", "http://glust:4317", "--seconds", "3", "--api-key=k1"))
        .isEqualTo(
            new DemoTraffic.Settings("http://glust:4317", Optional.of("k1"), 20, Optional.of(3L)));
    assertThat(DemoTraffic.Settings.parse("--api-key", "k1").headers())
        .isEqualTo(java.util.Map.of("X-API-Key", "k1"));
  }

  @Test
  void badOptionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> DemoTraffic.Settings.parse("--rate", "fast"))
        .hasMessageContaining("--rate must be a number");
    assertThatThrownBy(() -> DemoTraffic.Settings.parse("--rate", "0"))
        .hasMessageContaining("--rate must be within");
    assertThatThrownBy(() -> DemoTraffic.Settings.parse("--endpoint", "glust:4317"))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> DemoTraffic.Settings.parse("--seconds"))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DemoTraffic.Settings.parse("--verbose", "1"))
        .hasMessageContaining("unknown option --verbose");
  }
}
