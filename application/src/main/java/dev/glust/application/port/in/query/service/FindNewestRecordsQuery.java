package dev.glust.application.port.in.query.service;

import dev.glust.application.port.model.NewestRecords;
import dev.glust.domain.tenant.TenantId;

/** The newest span and log record, e.g. to offer a time range with data when one is empty. */
public interface FindNewestRecordsQuery {
  /**
   * @param atOrBeforeUnixNano records after this time (clock skew, bad timestamps) are passed over
   */
  NewestRecords findNewestRecords(TenantId tenant, long atOrBeforeUnixNano);
}
