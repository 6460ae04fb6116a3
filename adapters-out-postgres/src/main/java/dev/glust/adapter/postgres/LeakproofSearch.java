package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the sealed partitions' GIN indexes serve the service role. Under row-level security
 * PostgreSQL tests a query's own conditions only after the tenant policy, and never as index
 * conditions, unless their functions are {@code LEAKPROOF}; attribute containment ({@code @>},
 * {@code jsonb_contains}) and text search ({@code ILIKE}, {@code texticlike}, over a body's text
 * {@code body #>> '{}'}, {@code jsonb_extract_path_text}) are not, as built. They reveal nothing
 * about their arguments but by their result ({@code texticlike} may refuse a malformed pattern,
 * which is the query's own text, not a row's), so marking them is safe for Glust's tables. Only a
 * superuser may: an owner that is one (the embedded database) marks them at start; another database
 * keeps the slower plans until its administrator runs the statements
 * (docs/operations.md#database-roles).
 */
final class LeakproofSearch {
  private static final Logger LOG = LoggerFactory.getLogger(LeakproofSearch.class);

  /** The functions behind the searches' operators, as {@code ALTER FUNCTION} names them. */
  static final List<String> FUNCTIONS =
      List.of(
          "pg_catalog.jsonb_contains(jsonb, jsonb)",
          "pg_catalog.texticlike(text, text)",
          "pg_catalog.jsonb_extract_path_text(jsonb, text[])");

  private LeakproofSearch() {}

  /** Marks the functions when the owner may and they are not marked yet; logs what it did. */
  static void markIfSuperuser(DataSource owner) {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      if (allMarked(s)) {
        return;
      }
      if (!superuser(s)) {
        LOG.info(
            "attribute and text searches of sealed partitions cannot use their GIN indexes for"
                + " the service role until a superuser marks {} LEAKPROOF"
                + " (docs/operations.md#database-roles)",
            FUNCTIONS);
        return;
      }
      for (String function : FUNCTIONS) {
        s.execute("ALTER FUNCTION " + function + " LEAKPROOF");
      }
      LOG.info(
          "marked {} LEAKPROOF: sealed partitions' GIN indexes serve tenant searches", FUNCTIONS);
    } catch (SQLException e) {
      LOG.warn("could not mark the search functions LEAKPROOF: {}", e.getMessage());
    }
  }

  private static boolean allMarked(Statement s) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT bool_and(proleakproof) FROM pg_proc WHERE oid IN ("
                + String.join(
                    ", ", FUNCTIONS.stream().map(f -> "'" + f + "'::regprocedure").toList())
                + ")")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static boolean superuser(Statement s) throws SQLException {
    try (ResultSet rs =
        s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
