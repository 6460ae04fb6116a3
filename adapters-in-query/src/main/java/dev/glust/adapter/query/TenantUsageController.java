package dev.glust.adapter.query;

import dev.glust.application.port.in.query.tenant.ReadTenantUsageQuery;
import dev.glust.application.port.model.TenantUsage;
import dev.glust.domain.common.TimeRange;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/tenants/usage}: what every tenant stored per signal and UTC day. The one read
 * across tenants: {@link QueryAccessFilter} lets only the admin scope reach it.
 */
@Controller("/api/v1/tenants")
@ExecuteOn(TaskExecutors.BLOCKING)
class TenantUsageController {
  /** Without {@code start}: this UTC day and the six before it. */
  static final int DEFAULT_DAYS = 7;

  private final ReadTenantUsageQuery usage;

  TenantUsageController(ReadTenantUsageQuery usage) {
    this.usage = usage;
  }

  @Get("/usage")
  Map<String, Object> usage(HttpRequest<?> request) {
    TimeRange range =
        new QueryParameters(request.getParameters())
            .range(Clock.nowUnixNano(), end -> startOfDay(end, DEFAULT_DAYS - 1));
    List<Map<String, Object>> rows =
        usage.readTenantUsage(range).stream().map(TenantUsageController::row).toList();
    return Map.of("usage", rows);
  }

  /** The start of the UTC day {@code daysBefore} days before the one holding {@code unixNano}. */
  private static long startOfDay(long unixNano, int daysBefore) {
    LocalDate day =
        LocalDate.ofInstant(Instant.EPOCH.plus(unixNano, ChronoUnit.NANOS), ZoneOffset.UTC)
            .minusDays(daysBefore);
    return ChronoUnit.NANOS.between(Instant.EPOCH, day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static Map<String, Object> row(TenantUsage u) {
    Map<String, Object> out =
        ApiJson.ordered("tenant", u.tenant().name(), "signal", u.signal().label());
    out.put("day", u.day().toString());
    out.put("records", u.records());
    out.put("writtenBytes", u.writtenBytes());
    out.put("storedBytesEstimate", u.storedBytesEstimate());
    return out;
  }
}
