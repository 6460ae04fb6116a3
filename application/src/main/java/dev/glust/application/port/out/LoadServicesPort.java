package dev.glust.application.port.out;

import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Reads which services and operations storage holds in a time range. */
public interface LoadServicesPort {
  List<ServiceSummary> loadServices(TenantId tenant, TimeRange range);

  /** Every service that ever sent a span, by name. */
  List<String> loadServiceNames(TenantId tenant);

  List<Operation> loadOperations(TenantId tenant, String service, TimeRange range);
}
