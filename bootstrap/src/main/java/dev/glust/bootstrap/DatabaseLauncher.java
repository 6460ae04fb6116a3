package dev.glust.bootstrap;

import dev.glust.adapter.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the database: the one {@code GLUST_DB_URL} names, or else an embedded PostgreSQL whose data
 * directory lives under {@code GLUST_DATA_DIR} and survives restarts.
 */
final class DatabaseLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseLauncher.class);

  private final PostgresSettings settings;
  private final EmbeddedPostgres embedded;

  private DatabaseLauncher(PostgresSettings settings, EmbeddedPostgres embedded) {
    this.settings = settings;
    this.embedded = embedded;
  }

  static DatabaseLauncher launch(
      String jdbcUrl, String user, String password, int poolSize, Path dataDir) {
    if (jdbcUrl != null && !jdbcUrl.isBlank()) {
      return new DatabaseLauncher(
          new PostgresSettings(jdbcUrl, user, password, poolSize, Duration.ofSeconds(5)), null);
    }
    EmbeddedPostgres embedded = startEmbedded(dataDir.resolve("postgres"));
    String url = embedded.getJdbcUrl("postgres", "postgres");
    LOG.info(
        "GLUST_DB_URL is unset: started embedded PostgreSQL at {} with data in {}", url, dataDir);
    return new DatabaseLauncher(
        new PostgresSettings(url, "postgres", "", poolSize, Duration.ofSeconds(5)), embedded);
  }

  private static EmbeddedPostgres startEmbedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      return EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false) // keep what was ingested across restarts
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  PostgresSettings settings() {
    return settings;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
