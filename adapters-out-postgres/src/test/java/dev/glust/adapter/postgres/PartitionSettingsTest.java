package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionSettingsTest {
  private static PartitionSettings interval(Duration interval) {
    return new PartitionSettings(interval, 2, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10));
  }

  @Test
  void intervalsAreWholeHours() {
    assertThat(interval(Duration.ofHours(6)).interval()).hasHours(6);
    assertThat(interval(Duration.ofDays(7)).interval()).hasDays(7);
    assertThatThrownBy(() -> interval(Duration.ofMinutes(90)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole hours");
    assertThatThrownBy(() -> interval(Duration.ofMinutes(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retentionIsPerSignalAndNeverNegative() {
    PartitionSettings settings =
        new PartitionSettings(
            Duration.ofDays(1), 0, Duration.ofDays(7), Duration.ofDays(3), Duration.ofMinutes(1));
    assertThat(settings.retentionOf("spans")).isEqualTo(Duration.ofDays(7));
    assertThat(settings.retentionOf("logs")).isEqualTo(Duration.ofDays(3));
    assertThatThrownBy(
            () ->
                new PartitionSettings(
                    Duration.ofDays(1),
                    0,
                    Duration.ofDays(-1),
                    Duration.ZERO,
                    Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new PartitionSettings(
                    Duration.ofDays(1), -1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchMayCreateAtLeastOnePartition() {
    assertThatThrownBy(
            () ->
                new PartitionSettings(
                    Duration.ofDays(1),
                    2,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    0,
                    Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  void sealingWaitsANonNegativeTimeWithAnHourByDefault() {
    assertThat(PartitionSettings.DEFAULTS.sealAfter()).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(
            () ->
                new PartitionSettings(
                    Duration.ofDays(1),
                    2,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    16,
                    Duration.ofHours(1),
                    Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seal after");
  }
}
