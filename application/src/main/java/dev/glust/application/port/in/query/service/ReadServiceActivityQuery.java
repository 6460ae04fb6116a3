package dev.glust.application.port.in.query.service;

import dev.glust.application.port.model.ServiceActivity;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Per service, how much it sent in a time range and how much of it were errors. */
public interface ReadServiceActivityQuery {
  List<ServiceActivity> readServiceActivity(TenantId tenant, TimeRange range);
}
