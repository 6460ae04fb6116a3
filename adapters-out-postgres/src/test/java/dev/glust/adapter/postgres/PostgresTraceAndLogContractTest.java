package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.TraceAndLogStorageContract;

/** The trace and log storage contract, met by PostgreSQL (a new database each time). */
class PostgresTraceAndLogContractTest extends TraceAndLogStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return TestPostgres.server().createDatabase().openStorage();
  }
}
