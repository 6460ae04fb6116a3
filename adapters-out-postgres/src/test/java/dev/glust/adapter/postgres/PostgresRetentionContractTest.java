package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.RetentionStorageContract;
import java.time.Clock;
import java.time.Duration;

/** The retention contract, met by PostgreSQL's daily partitions (a new database each time). */
class PostgresRetentionContractTest extends RetentionStorageContract {
  @Override
  protected Storage openEmptyStorage(Duration retention, Clock clock) {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    return PostgresStorage.open(
        db.settings(),
        new PartitionSettings(
            Duration.ofDays(1),
            2,
            retention,
            retention,
            retention,
            Duration.ofHours(1),
            16,
            Duration.ofHours(1)),
        clock);
  }

  @Override
  protected void applyRetention(Storage storage) {
    ((PostgresStorage) storage).maintainPartitions();
  }
}
