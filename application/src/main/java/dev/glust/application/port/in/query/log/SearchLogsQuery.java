package dev.glust.application.port.in.query.log;

import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;

/** Finds log records by service, severity, text, trace context and attributes, newest first. */
public interface SearchLogsQuery {
  Page<LogRecord> searchLogs(TenantId tenant, LogSearch search);
}
