package dev.glust.adapter.query;

import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.in.query.service.FindNewestRecordsQuery;
import dev.glust.application.port.in.query.service.ReadServiceActivityQuery;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceActivity;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Aggregates for overviews: the log volume histogram, per-service activity, the newest records. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class OverviewApiController {
  private final ReadLogVolumeQuery logVolume;
  private final ReadServiceActivityQuery serviceActivity;
  private final FindNewestRecordsQuery newestRecords;

  OverviewApiController(
      ReadLogVolumeQuery logVolume,
      ReadServiceActivityQuery serviceActivity,
      FindNewestRecordsQuery newestRecords) {
    this.logVolume = logVolume;
    this.serviceActivity = serviceActivity;
    this.newestRecords = newestRecords;
  }

  /** The newest span start and log record time at or before {@code end} (default: now). */
  @Get("/newest")
  Map<String, Object> newest(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    long end = new QueryParameters(request.getParameters()).time("end").orElse(Clock.nowUnixNano());
    NewestRecords newest = newestRecords.findNewestRecords(tenant, end);
    return ApiJson.ordered(
        "spanTimeUnixNano", unixNano(newest.spanUnixNano()),
        "logTimeUnixNano", unixNano(newest.logUnixNano()));
  }

  private static String unixNano(OptionalLong time) {
    return time.isPresent() ? Long.toString(time.getAsLong()) : null;
  }

  @Get("/logs/histogram")
  Map<String, Object> logHistogram(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    int buckets =
        p.text("buckets")
            .map(v -> QueryParameters.parseInt("buckets", v))
            .orElse(LogVolumeSearch.DEFAULT_BUCKETS);
    LogVolume volume =
        logVolume.readLogVolume(
            tenant,
            new LogVolumeSearch(
                p.logSearch(range, PageRequest.first(PageRequest.DEFAULT_LIMIT)), buckets));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startUnixNano", Long.toString(volume.startUnixNano()));
    out.put("endUnixNano", Long.toString(range.endUnixNano()));
    out.put("bucketNanos", volume.bucketNanos());
    out.put("levels", Arrays.stream(SeverityLevel.values()).map(Enum::name).toList());
    out.put("buckets", volume.buckets().stream().map(OverviewApiController::bucket).toList());
    return out;
  }

  private static Map<String, Object> bucket(LogVolume.Bucket bucket) {
    Map<String, Object> counts = new LinkedHashMap<>();
    for (SeverityLevel level : SeverityLevel.values()) {
      Long count = bucket.counts().get(level);
      if (count != null) {
        counts.put(level.name(), count);
      }
    }
    Map<String, Object> out =
        ApiJson.ordered(
            "startUnixNano", Long.toString(bucket.startUnixNano()), "total", bucket.total());
    out.put("counts", counts);
    return out;
  }

  @Get("/services/activity")
  Map<String, Object> serviceActivity(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    TimeRange range =
        new QueryParameters(request.getParameters()).range(Clock.nowUnixNano(), Optional.empty());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startUnixNano", Long.toString(range.startUnixNano()));
    out.put("endUnixNano", Long.toString(range.endUnixNano()));
    out.put(
        "services",
        serviceActivity.readServiceActivity(tenant, range).stream()
            .map(OverviewApiController::activity)
            .toList());
    return out;
  }

  private static Map<String, Object> activity(ServiceActivity s) {
    Map<String, Object> out = ApiJson.ordered("name", s.name(), "spanCount", s.spanCount());
    out.put("errorSpanCount", s.errorSpanCount());
    out.put("logCount", s.logCount());
    out.put("errorLogCount", s.errorLogCount());
    return out;
  }
}
