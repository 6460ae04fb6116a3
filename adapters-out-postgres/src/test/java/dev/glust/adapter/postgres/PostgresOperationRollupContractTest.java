package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.OperationRollupStorageContract;

/** The operation rollup storage contract, met by PostgreSQL (a new database each time). */
class PostgresOperationRollupContractTest extends OperationRollupStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return TestPostgres.server().createDatabase().openStorage();
  }
}
