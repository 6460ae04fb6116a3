package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityQueryServiceTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private static LogVolumeSearch search(long lengthNanos, int buckets) {
    LogSearch filter =
        new LogSearch(
            Optional.empty(),
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            new TimeRange(T0, T0 + lengthNanos),
            PageRequest.first(1));
    return new LogVolumeSearch(filter, buckets);
  }

  @Test
  void slicesAreWholeMillisecondsCoveringTheRange() {
    assertThat(search(60 * SECOND, 60).bucketNanos()).isEqualTo(SECOND + 1_000_000);
    assertThat(search(60 * SECOND, 60).bucketCount()).isEqualTo(60);
    assertThat(search(60 * SECOND - 1, 60).bucketNanos()).isEqualTo(SECOND);
    // 10 ms cannot be cut into 100 slices of whole milliseconds
    assertThat(search(10_000_000 - 1, 100).bucketNanos()).isEqualTo(1_000_000);
    assertThat(search(10_000_000 - 1, 100).bucketCount()).isEqualTo(10);
    assertThat(search(0, 5).bucketCount()).isEqualTo(1);
    assertThatThrownBy(() -> search(SECOND, 0)).isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> search(SECOND, 1001)).isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void emptySlicesAreFilledInAndCountsKeptPerLevel() {
    CountLogVolumePort storage =
        (tenant, s) ->
            List.of(
                new CountLogVolumePort.Count(1, SeverityLevel.ERROR, 3),
                new CountLogVolumePort.Count(1, SeverityLevel.INFO, 4),
                new CountLogVolumePort.Count(3, SeverityLevel.WARN, 1));
    ActivityQueryService service = new ActivityQueryService(storage, (tenant, range) -> List.of());

    LogVolume volume = service.readLogVolume(TenantId.DEFAULT, search(4 * SECOND - 1, 4));

    assertThat(volume.bucketNanos()).isEqualTo(SECOND);
    assertThat(volume.buckets())
        .extracting(LogVolume.Bucket::startUnixNano)
        .containsExactly(T0, T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND);
    assertThat(volume.buckets())
        .extracting(LogVolume.Bucket::total)
        .containsExactly(0L, 7L, 0L, 1L);
    assertThat(volume.buckets().get(1).counts())
        .isEqualTo(Map.of(SeverityLevel.ERROR, 3L, SeverityLevel.INFO, 4L));
  }

  @Test
  void severityNumbersFallIntoTheirLevels() {
    assertThat(SeverityLevel.of(0)).isEqualTo(SeverityLevel.UNSPECIFIED);
    assertThat(SeverityLevel.of(1)).isEqualTo(SeverityLevel.TRACE);
    assertThat(SeverityLevel.of(8)).isEqualTo(SeverityLevel.DEBUG);
    assertThat(SeverityLevel.of(9)).isEqualTo(SeverityLevel.INFO);
    assertThat(SeverityLevel.of(16)).isEqualTo(SeverityLevel.WARN);
    assertThat(SeverityLevel.of(17)).isEqualTo(SeverityLevel.ERROR);
    assertThat(SeverityLevel.of(24)).isEqualTo(SeverityLevel.FATAL);
    for (SeverityLevel level : SeverityLevel.values()) {
      assertThat(SeverityLevel.of(level.lowestNumber())).isEqualTo(level);
    }
  }

  @Test
  void activityOverALongerRangeThanTheLimitIsRefused() {
    ActivityQueryService service =
        new ActivityQueryService((tenant, s) -> List.of(), (tenant, range) -> List.of());
    assertThatThrownBy(
            () ->
                service.readServiceActivity(
                    TenantId.DEFAULT, new TimeRange(0, 40L * 24 * 3600 * SECOND)))
        .isInstanceOf(InvalidQueryException.class);
  }
}
