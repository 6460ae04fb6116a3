package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantUsageServiceTest {
  private final List<LocalDate> asked = new ArrayList<>();
  private final TenantUsageService service =
      new TenantUsageService(
          (first, last) -> {
            asked.add(first);
            asked.add(last);
            return List.of();
          },
          Duration.ofDays(31));

  private static long nanos(String instant) {
    return ChronoUnit.NANOS.between(Instant.EPOCH, Instant.parse(instant));
  }

  @Test
  void asksForTheUtcDaysTheRangeTouchesAnEndAtMidnightExcluded() {
    service.readTenantUsage(
        new TimeRange(nanos("2026-12-01T23:30:00Z"), nanos("2026-12-04T00:00:00Z")));
    service.readTenantUsage(
        new TimeRange(nanos("2026-12-07T10:00:00Z"), nanos("2026-12-07T10:00:00Z")));

    assertThat(asked)
        .containsExactly(
            LocalDate.parse("2026-12-01"),
            LocalDate.parse("2026-12-03"),
            LocalDate.parse("2026-12-07"),
            LocalDate.parse("2026-12-07"));
  }

  @Test
  void aRangeLongerThanTheMaximumIsRefused() {
    assertThatThrownBy(
            () ->
                service.readTenantUsage(
                    new TimeRange(nanos("2026-01-01T00:00:00Z"), nanos("2026-12-01T00:00:00Z"))))
        .isInstanceOf(InvalidQueryException.class);
    assertThat(asked).isEmpty();
  }
}
