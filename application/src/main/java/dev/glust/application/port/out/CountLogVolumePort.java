package dev.glust.application.port.out;

import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Counts matching log records per time slice and severity level in storage. */
public interface CountLogVolumePort {
  /** Only the non-empty (slice, level) pairs; slice {@code 0..search.bucketCount()-1}. */
  List<Count> countLogVolume(TenantId tenant, LogVolumeSearch search);

  record Count(int bucket, SeverityLevel level, long count) {}
}
