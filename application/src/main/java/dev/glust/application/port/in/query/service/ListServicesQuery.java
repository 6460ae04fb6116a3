package dev.glust.application.port.in.query.service;

import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** What services and operations exist, for pickers and overviews. */
public interface ListServicesQuery {
  List<ServiceSummary> listServices(TenantId tenant, TimeRange range);

  /** Every service that ever sent a span, by name (as Jaeger lists them). */
  List<String> listServiceNames(TenantId tenant);

  List<Operation> listOperations(TenantId tenant, String service, TimeRange range);
}
