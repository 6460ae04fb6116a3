package dev.glust.application.port.in;

import dev.glust.domain.log.LogRecord;

/** Stores the log records of one export request; returns only once they are committed. */
public interface IngestLogsUseCase {
  /**
   * @throws dev.glust.application.port.out.StorageUnavailableException when storage cannot take the
   *     batch now (retryable)
   */
  IngestResult ingestLogs(ExportBatch<LogRecord> batch);
}
