package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The tenant a transaction reads and writes as. Row-level security (migration V7) shows and accepts
 * only the rows of the tenant the transaction has set, so every writer and reader enters its
 * transaction through {@link #enter}; a transaction that did not sees no row and may insert none.
 *
 * <p>Until the ports carry a tenant, every call is the {@link #DEFAULT} tenant's: the one place
 * that names it is where the writers and {@link SqlReads} take their scope.
 *
 * @param name the tenant's name in the {@code tenants} table
 */
record TenantScope(String name) {
  /** The tenant every record belongs to until the ports say otherwise (and all older rows). */
  static final TenantScope DEFAULT = new TenantScope("default");

  /**
   * The tenant's id becomes the transaction-local {@code glust.tenant_id}, which the policies read
   * through {@code glust_tenant()}; one statement resolves the name and sets it.
   */
  private static final String ENTER =
      "SELECT set_config('glust.tenant_id', tenant_id::text, true) FROM tenants WHERE name = ?";

  TenantScope {
    Objects.requireNonNull(name, "tenant name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tenant's name is not blank");
    }
  }

  /**
   * Makes the open transaction (auto-commit off) this tenant's, until it ends.
   *
   * @throws SQLException when the tenant is unknown, or the database fails
   */
  void enter(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ENTER)) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("unknown tenant " + name, "42704");
        }
      }
    }
  }
}
