package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.DependencyStorageContract;
import java.time.Clock;

/**
 * The dependency storage contract, met by PostgreSQL (a new database each time): children whose
 * parent was not in their batch wait in {@code pending_children} for the matcher.
 */
class PostgresDependencyContractTest extends DependencyStorageContract {
  @Override
  protected Storage openEmptyStorage(Clock clock) {
    return PostgresStorage.open(
        TestPostgres.server().createDatabase().settings(), PartitionSettings.DEFAULTS, clock);
  }

  @Override
  protected void matchPending(Storage storage) {
    ((PostgresStorage) storage).matchDependencies();
  }
}
