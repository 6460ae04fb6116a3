package dev.glust.application.port.out;

import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * Rate, errors and durations per operation and minute, as storage added them up while spans were
 * written. One minute and operation may come back in several rollups (e.g. one per writer); the
 * caller adds them up.
 */
public interface LoadOperationRollupsPort {
  List<OperationRollup> loadOperationRollups(TenantId tenant, OperationRollupSearch search);
}
