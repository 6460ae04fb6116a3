package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
  @Test
  void upWhenStorageHasNoProblem() {
    var report = new HealthService(Optional::empty).check();
    assertThat(report.up()).isTrue();
    assertThat(report.components()).containsEntry("storage", "UP");
  }

  @Test
  void downWithTheReasonWhenStorageHasOne() {
    var report = new HealthService(() -> Optional.of("database unreachable")).check();
    assertThat(report.up()).isFalse();
    assertThat(report.components()).containsEntry("storage", "database unreachable");
  }

  @Test
  void downWhileTheIngestPipelinesAreSaturated() {
    var report = new HealthService(Optional::empty, () -> true).check();
    assertThat(report.up()).isFalse();
    assertThat(report.components()).containsEntry("ingest", "SATURATED");
  }
}
