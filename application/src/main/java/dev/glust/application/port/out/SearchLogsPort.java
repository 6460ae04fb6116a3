package dev.glust.application.port.out;

import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;

/** Finds log records in storage, newest first, by keyset pages. */
public interface SearchLogsPort {
  Page<LogRecord> searchLogs(TenantId tenant, LogSearch search);
}
