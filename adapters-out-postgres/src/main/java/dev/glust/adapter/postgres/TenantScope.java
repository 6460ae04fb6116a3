package dev.glust.adapter.postgres;

import dev.glust.domain.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The tenant a transaction reads and writes as. Row-level security (migration V7) shows and accepts
 * only the rows of the tenant the transaction has set, so every writer and reader enters its
 * transaction through {@link #enter} or {@link #enterToWrite}; a transaction that did not sees no
 * row and may insert none.
 *
 * @param name the tenant's name in the {@code tenants} table
 */
record TenantScope(String name) {
  /** The tenant of records sent without one, and of every row stored before tenants. */
  static final TenantScope DEFAULT = new TenantScope(TenantId.DEFAULT.name());

  /**
   * The tenant's id becomes the transaction-local {@code glust.tenant_id}, which the policies read
   * through {@code glust_tenant()}; one statement resolves the name and sets it. An unknown tenant
   * gets id 0, which no row has (ids start at 1): it has stored nothing, so it reads nothing.
   */
  private static final String ENTER =
      "SELECT set_config('glust.tenant_id',"
          + " COALESCE((SELECT tenant_id FROM tenants WHERE name = ?), 0)::text, true)";

  /**
   * Names a tenant the first time it writes. Guarded by NOT EXISTS rather than left to ON CONFLICT
   * alone: a conflicting insert would still draw an id from the sequence, and ids are SMALLINT.
   */
  private static final String CREATE =
      "INSERT INTO tenants (name) SELECT ? WHERE NOT EXISTS"
          + " (SELECT FROM tenants WHERE name = ?) ON CONFLICT (name) DO NOTHING";

  /** For writing: the tenant must exist (it was just created if need be). */
  private static final String ENTER_EXISTING =
      "SELECT tenant_id, set_config('glust.tenant_id', tenant_id::text, true) FROM tenants"
          + " WHERE name = ?";

  /** For writing as a tenant whose id a committed transaction has seen: ids never change. */
  private static final String ENTER_KNOWN = "SELECT set_config('glust.tenant_id', ?, true)";

  TenantScope {
    Objects.requireNonNull(name, "tenant name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tenant's name is not blank");
    }
  }

  static TenantScope of(TenantId tenant) {
    return new TenantScope(tenant.name());
  }

  /**
   * Makes the open transaction (auto-commit off) this tenant's, for reading, until it ends.
   *
   * @throws SQLException when the database fails
   */
  void enter(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ENTER)) {
      statement.setString(1, name);
      statement.executeQuery().close();
    }
  }

  /**
   * As {@link #enter}, for writing: a tenant writing for the first time is added to {@code tenants}
   * in the same transaction (gone again if it rolls back). One indexed lookup per batch.
   *
   * @return the tenant's id, for {@link #enterKnown} once this transaction has committed
   * @throws SQLException when the database fails, or the tenants' ids are used up
   */
  short enterToWrite(Connection connection) throws SQLException {
    try (PreparedStatement create = connection.prepareStatement(CREATE)) {
      create.setString(1, name);
      create.setString(2, name);
      create.executeUpdate();
    }
    try (PreparedStatement statement = connection.prepareStatement(ENTER_EXISTING)) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("tenant " + name + " could not be created", "42704");
        }
        return rs.getShort(1);
      }
    }
  }

  /**
   * As {@link #enterToWrite}, in one statement, for a tenant whose {@code id} a committed
   * transaction returned: tenants are never renamed or removed.
   */
  void enterKnown(Connection connection, short id) throws SQLException {
    enterById(connection, id);
  }

  /**
   * Makes the open transaction the tenant's with this {@code id}, as read from {@code tenants}: for
   * the jobs that go through every tenant by id.
   */
  static void enterById(Connection connection, short id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ENTER_KNOWN)) {
      statement.setString(1, Short.toString(id));
      statement.executeQuery().close();
    }
  }
}
