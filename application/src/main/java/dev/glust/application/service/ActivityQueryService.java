package dev.glust.application.service;

import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.in.query.service.ReadServiceActivityQuery;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.ServiceActivity;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Overviews of what arrived: log volume over time, activity and errors per service. */
public final class ActivityQueryService implements ReadLogVolumeQuery, ReadServiceActivityQuery {
  private final CountLogVolumePort logVolume;
  private final LoadServiceActivityPort serviceActivity;
  private final QueryRangeLimit rangeLimit;

  /** With the default maximum query range (31 days). */
  public ActivityQueryService(
      CountLogVolumePort logVolume, LoadServiceActivityPort serviceActivity) {
    this(logVolume, serviceActivity, QueryRangeLimit.DEFAULT_MAX);
  }

  /**
   * @param maxRange the longest time range one overview may cover
   */
  public ActivityQueryService(
      CountLogVolumePort logVolume, LoadServiceActivityPort serviceActivity, Duration maxRange) {
    this.rangeLimit = new QueryRangeLimit(maxRange);
    this.logVolume = Objects.requireNonNull(logVolume);
    this.serviceActivity = Objects.requireNonNull(serviceActivity);
  }

  /** Storage returns the non-empty slices; the empty ones are filled in so charts keep scale. */
  @Override
  public LogVolume readLogVolume(TenantId tenant, LogVolumeSearch search) {
    rangeLimit.check(search.filter().range());
    int count = search.bucketCount();
    List<Map<SeverityLevel, Long>> counts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      counts.add(new EnumMap<>(SeverityLevel.class));
    }
    for (CountLogVolumePort.Count c : logVolume.countLogVolume(tenant, search)) {
      if (c.bucket() >= 0 && c.bucket() < count) {
        counts.get(c.bucket()).merge(c.level(), c.count(), Long::sum);
      }
    }
    long start = search.filter().range().startUnixNano();
    long width = search.bucketNanos();
    List<LogVolume.Bucket> buckets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      buckets.add(new LogVolume.Bucket(start + i * width, counts.get(i)));
    }
    return new LogVolume(start, width, buckets);
  }

  @Override
  public List<ServiceActivity> readServiceActivity(TenantId tenant, TimeRange range) {
    return serviceActivity.loadServiceActivity(tenant, rangeLimit.check(range));
  }
}
