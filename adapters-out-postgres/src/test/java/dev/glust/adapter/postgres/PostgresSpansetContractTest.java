package dev.glust.adapter.postgres;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.SpansetStorageContract;

/** The spanset search contract, met by PostgreSQL through its SQL narrowing (a new database). */
class PostgresSpansetContractTest extends SpansetStorageContract {
  @Override
  protected Storage openEmptyStorage() {
    return TestPostgres.server().createDatabase().openStorage();
  }
}
