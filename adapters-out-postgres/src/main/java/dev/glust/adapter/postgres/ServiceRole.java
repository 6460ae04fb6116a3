package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the service role (ingest and queries) may do, granted by the owner after every migration, so
 * that tables added by a later migration are granted too. It owns nothing and gets only the DML it
 * needs on the partitioned parents and plain tables. On a partition it may only INSERT (the writers
 * copy rows straight into theirs, which a CHECK constraint holds to the transaction's tenant:
 * migration V9): partition rows are read only through the parents, where row-level security
 * applies. Metric series retention and partition DDL stay with the owner, which grants each new
 * partition as it makes it ({@link PostgresPartitions}).
 */
final class ServiceRole {
  /** Tables the writers insert into and the readers read. */
  private static final List<String> INSERTED =
      List.of(
          "spans",
          "logs",
          "resources",
          "scopes",
          "metric_points_number",
          "metric_points_histogram",
          "metric_points_exp_histogram",
          "metric_points_summary");

  /** Read only: the views for people, and the schema version (health probe). */
  private static final List<String> READ =
      List.of("span_records", "log_records", "metric_series_records", "flyway_schema_history");

  private ServiceRole() {}

  /**
   * Grants {@code role} its privileges on the schema as the owner's connection sees it.
   *
   * @throws IllegalStateException when the role does not exist or the grants fail
   */
  static void grant(DataSource owner, String role) {
    String grantee = quoted(role);
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA " + quoted(text(s, "current_schema()")) + " TO " + grantee);
      s.execute("GRANT SELECT, INSERT ON " + String.join(", ", INSERTED) + " TO " + grantee);
      // series are upserted: a known one gets a newer last_seen
      s.execute("GRANT SELECT, INSERT, UPDATE ON metric_series TO " + grantee);
      s.execute("GRANT SELECT ON " + String.join(", ", READ) + " TO " + grantee);
      // every span batch appends its operations' rollups (its tenant's: policies apply), which the
      // owner folds into operation_rollups; reads add up both
      s.execute("GRANT SELECT, INSERT ON operation_rollup_batches TO " + grantee);
      s.execute("GRANT SELECT ON operation_rollups TO " + grantee);
      // every batch adds to its tenant's usage row (counts only: no tenant data, no policies)
      s.execute("GRANT SELECT, INSERT, UPDATE ON tenant_usage TO " + grantee);
      // service dependencies: batches add calls (their slot's rows) and pending children, the
      // matcher adds calls and deletes or updates the children it probed (DependencyMatcher)
      s.execute("GRANT SELECT, INSERT, UPDATE ON dependency_rollups TO " + grantee);
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON pending_children TO " + grantee);
      // a tenant's first write names it (TenantScope); the names are no tenant's data
      s.execute("GRANT SELECT, INSERT ON tenants TO " + grantee);
      s.execute(
          "GRANT USAGE ON SEQUENCE "
              + text(s, "pg_get_serial_sequence('tenants', 'tenant_id')")
              + " TO "
              + grantee);
      // log ids come from the identity's sequence (the name is printed quoted where need be)
      s.execute(
          "GRANT USAGE ON SEQUENCE "
              + text(s, "pg_get_serial_sequence('logs', 'log_id')")
              + " TO "
              + grantee);
      List<String> partitions = partitions(s);
      if (!partitions.isEmpty()) { // one statement for all: a long retention makes hundreds
        s.execute(grantInsert(String.join(", ", partitions), role));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not grant the service role "
              + role
              + " its privileges (does it exist? see docs/operations.md#database-roles): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Checks that the service pool's sessions are {@code role}'s and that the policies bind it: a
   * superuser or BYPASSRLS role, or a JDBC URL whose {@code user=} parameter overrides the role
   * (the driver prefers it), would silently see every tenant.
   *
   * @throws IllegalStateException when they are not
   */
  static void requireBound(DataSource service, String role) {
    try (Connection c = service.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles"
                    + " WHERE rolname = current_user")) {
      rs.next();
      if (!role.equals(rs.getString(1))) {
        throw new IllegalStateException(
            "the service pool connects as "
                + rs.getString(1)
                + ", not as the service role "
                + role
                + " (a user= parameter in the JDBC URL takes precedence: remove it)");
      }
      if (rs.getBoolean(2)) {
        throw new IllegalStateException(
            "the service role "
                + role
                + " is a superuser or BYPASSRLS: the tenant policies would not bind it (see"
                + " docs/operations.md#database-roles)");
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("checking the service role", e);
    }
  }

  /**
   * The statement letting {@code role} copy rows into {@code partitions} (one, or several separated
   * by commas), and nothing more.
   */
  static String grantInsert(String partitions, String role) {
    return "GRANT INSERT ON " + partitions + " TO " + quoted(role);
  }

  /** The partitions that exist now (made before this version, or by another instance). */
  private static List<String> partitions(Statement s) throws SQLException {
    List<String> partitions = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT i.inhrelid::regclass::text FROM pg_inherits i"
                + " WHERE i.inhparent::regclass::text IN ('"
                + String.join("', '", PostgresPartitions.TABLES)
                + "')")) {
      while (rs.next()) {
        partitions.add(rs.getString(1));
      }
    }
    return partitions;
  }

  private static String text(Statement s, String expression) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT " + expression)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
