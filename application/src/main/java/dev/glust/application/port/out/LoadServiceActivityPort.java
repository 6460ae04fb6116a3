package dev.glust.application.port.out;

import dev.glust.application.port.model.ServiceActivity;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Counts spans, log records and their errors per service in storage, by service name. */
public interface LoadServiceActivityPort {
  List<ServiceActivity> loadServiceActivity(TenantId tenant, TimeRange range);
}
