package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.postgres.PostgresSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default as the service starts it. */
class DatabaseLauncherTest {
  @Test
  void theEmbeddedDatabaseWaitsForTheDiskBeforeACommitIsAnswered(@TempDir Path dataDir)
      throws Exception {
    try (DatabaseLauncher launcher =
        DatabaseLauncher.launch(PostgresSettings.of("", "", ""), dataDir, 0)) {
      PostgresSettings settings = launcher.settings();
      try (Connection c =
              DriverManager.getConnection(
                  settings.jdbcUrl(), settings.user(), settings.password());
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "full_page_writes")).isEqualTo("on");
      }
    }
  }

  @Test
  void theEmbeddedDatabaseHasAServiceRoleThatOwnsNothingAndTheTenantPoliciesBind(
      @TempDir Path dataDir) throws Exception {
    try (DatabaseLauncher launcher =
        DatabaseLauncher.launch(PostgresSettings.of("", "", ""), dataDir, 0)) {
      PostgresSettings settings = launcher.settings();
      assertThat(settings.hasServiceRole()).isTrue();
      try (Connection c =
              DriverManager.getConnection(
                  settings.jdbcUrl(), settings.serviceUser(), settings.servicePassword());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles"
                      + " WHERE rolname = current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(DatabaseLauncher.EMBEDDED_SERVICE_ROLE);
        assertThat(rs.getBoolean(2)).isFalse();
        assertThat(rs.getBoolean(3)).isFalse();
      }
    }
  }

  @Test
  void anExternalDatabaseWithoutAServiceRoleIsRefusedInOneLine() {
    PostgresSettings external = PostgresSettings.of("jdbc:postgresql://db/glust", "glust", "x");

    assertThatThrownBy(() -> DatabaseLauncher.launch(external, Path.of("unused"), 0))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("GLUST_DB_SERVICE_USER is unset")
        .hasMessageContaining("docs/operations.md#database-roles")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aDataDirectoryItCannotCreateTheClusterInIsRefusedInOneLine(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "");

    assertThatThrownBy(() -> DatabaseLauncher.launch(PostgresSettings.of("", "", ""), file, 0))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("GLUST_DATA_DIR=" + file + " cannot hold the embedded PostgreSQL")
        .hasMessageEndingWith("or set GLUST_DB_URL")
        .hasMessageNotContaining("\n");
  }

  private static String show(Statement s, String setting) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
