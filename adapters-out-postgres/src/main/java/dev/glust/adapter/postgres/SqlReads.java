package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs read-only statements on the query pool and turns failures into the ports' errors. The pool's
 * sessions carry the query timeout ({@code statement_timeout}): a query running longer is
 * cancelled, and the API answers 503 instead of hanging. Each statement runs in a transaction of
 * its own that is the tenant's ({@link TenantScope}): row-level security shows no other rows.
 */
final class SqlReads {
  private final DataSource dataSource;

  SqlReads(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Statements run on one connection, in one transaction. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** The rows of {@code sql} on a connection in a transaction already. */
  static <T> List<T> read(Connection c, String sql, Binder binder, RowReader<T> reader)
      throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rs = statement.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(reader.read(rs));
        }
        return out;
      }
    }
  }

  /** The rows of {@code sql}, read in a transaction of {@code tenant}: no other tenant's rows. */
  <T> List<T> list(
      TenantScope tenant, String what, String sql, Binder binder, RowReader<T> reader) {
    return inTransaction(tenant, what, sql, binder, reader);
  }

  /**
   * The rows of {@code sql}, read in a transaction of no tenant: for the tables without tenant data
   * (usage counts, tenant names). Row-level security still shows no row of a table with tenant data
   * in such a transaction (it fails closed).
   */
  <T> List<T> listAcrossTenants(String what, String sql, Binder binder, RowReader<T> reader) {
    return inTransaction(null, what, sql, binder, reader);
  }

  /**
   * {@code work} in a transaction of {@code tenant} whose statements all see one snapshot
   * (repeatable read): for reads of several statements that a concurrent commit must not split.
   */
  <T> T inSnapshot(TenantScope tenant, String what, Work<T> work) {
    return transaction(tenant, what, true, work);
  }

  private <T> List<T> inTransaction(
      TenantScope tenant, String what, String sql, Binder binder, RowReader<T> reader) {
    return transaction(tenant, what, false, c -> read(c, sql, binder, reader));
  }

  private <T> T transaction(TenantScope tenant, String what, boolean oneSnapshot, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (oneSnapshot) {
          try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"); // before any query
          }
        }
        if (tenant != null) {
          tenant.enter(c);
        }
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // the connection broke: the first failure says why
        }
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate(what, e);
    }
  }
}
