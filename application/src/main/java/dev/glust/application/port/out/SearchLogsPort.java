package dev.glust.application.port.out;

import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.domain.log.LogRecord;

/** Finds log records in storage, newest first, by keyset pages. */
public interface SearchLogsPort {
  Page<LogRecord> searchLogs(LogSearch search);
}
