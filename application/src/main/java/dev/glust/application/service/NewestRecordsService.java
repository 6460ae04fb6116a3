package dev.glust.application.service;

import dev.glust.application.port.in.query.service.FindNewestRecordsQuery;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.out.FindNewestRecordsPort;
import dev.glust.domain.tenant.TenantId;
import java.util.Objects;

/** Where the newest data is; no time-range limit applies, the port reads one row per signal. */
public final class NewestRecordsService implements FindNewestRecordsQuery {
  private final FindNewestRecordsPort storage;

  public NewestRecordsService(FindNewestRecordsPort storage) {
    this.storage = Objects.requireNonNull(storage);
  }

  @Override
  public NewestRecords findNewestRecords(TenantId tenant, long atOrBeforeUnixNano) {
    return storage.findNewestRecords(tenant, atOrBeforeUnixNano);
  }
}
