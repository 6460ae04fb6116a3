package dev.glust.application.port.in.query.log;

import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.domain.tenant.TenantId;

/** How many log records match a search, per time slice and severity level (a histogram). */
public interface ReadLogVolumeQuery {
  LogVolume readLogVolume(TenantId tenant, LogVolumeSearch search);
}
