package dev.glust.adapter.postgres;

import dev.glust.application.port.out.ProbeStoragePort;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/** Healthy means: a connection answers, and the newest migration Glust ships is applied. */
final class PostgresHealthProbe implements ProbeStoragePort {
  private final DataSource dataSource;
  private final String expectedSchemaVersion;

  PostgresHealthProbe(DataSource dataSource, String expectedSchemaVersion) {
    this.dataSource = dataSource;
    this.expectedSchemaVersion = expectedSchemaVersion;
  }

  @Override
  public Optional<String> problem() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT version FROM flyway_schema_history WHERE success"
                  + " ORDER BY installed_rank DESC LIMIT 1")) {
        String version = rs.next() ? rs.getString(1) : null;
        return expectedSchemaVersion.equals(version)
            ? Optional.empty()
            : Optional.of("schema version " + version + ", expected " + expectedSchemaVersion);
      }
    } catch (SQLException | RuntimeException e) {
      return Optional.of("database unreachable: " + e.getMessage());
    }
  }
}
