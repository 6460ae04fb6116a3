package dev.glust.application.port.out;

import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * Calls between services per minute (of minutes starting in the range), as storage found them from
 * parent and child spans. One minute and edge may come back in several rollups; the caller adds
 * them up.
 */
public interface LoadDependencyRollupsPort {
  List<DependencyRollup> loadDependencyRollups(TenantId tenant, TimeRange range);
}
