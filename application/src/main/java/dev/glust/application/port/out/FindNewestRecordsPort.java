package dev.glust.application.port.out;

import dev.glust.application.port.model.NewestRecords;
import dev.glust.domain.tenant.TenantId;

/** Finds the newest span and log record in storage; must stay cheap however much is stored. */
public interface FindNewestRecordsPort {
  NewestRecords findNewestRecords(TenantId tenant, long atOrBeforeUnixNano);
}
