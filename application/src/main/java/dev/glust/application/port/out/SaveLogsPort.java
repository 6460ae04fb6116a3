package dev.glust.application.port.out;

import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Durably stores log records: all of the list in one transaction, or none of it. */
public interface SaveLogsPort {
  /**
   * @throws StorageUnavailableException when storage is down or busy (nothing was stored)
   * @throws StorageRejectedException when storage refuses the data itself (nothing was stored)
   */
  void saveLogs(TenantId tenant, List<LogRecord> logs);
}
