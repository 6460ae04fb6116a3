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
      try (Connection c = DriverManager.getConnection(launcher.settings().jdbcUrl());
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "full_page_writes")).isEqualTo("on");
      }
    }
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
