package dev.glust.bootstrap;

import dev.glust.adapter.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the database: the one {@code GLUST_DB_URL} names, or else an embedded PostgreSQL whose data
 * directory lives under {@code GLUST_DATA_DIR} and survives restarts. Either way ingest and queries
 * connect as a service role that owns nothing, so that the tenant policies bind them: an external
 * database's operator creates it (docs/operations.md), the embedded one gets {@link
 * #EMBEDDED_SERVICE_ROLE} created at every start (if it is missing).
 */
final class DatabaseLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseLauncher.class);

  /** The embedded database's service role (local connections only, trusted: no password). */
  static final String EMBEDDED_SERVICE_ROLE = "glust_service";

  private final PostgresSettings settings;
  private final EmbeddedPostgres embedded;

  private DatabaseLauncher(PostgresSettings settings, EmbeddedPostgres embedded) {
    this.settings = settings;
    this.embedded = embedded;
  }

  /**
   * @param configured the configured database; a blank URL means "start the embedded one"
   * @param embeddedPort the embedded server's port, 0 for any free one
   */
  static DatabaseLauncher launch(PostgresSettings configured, Path dataDir, int embeddedPort) {
    if (!configured.jdbcUrl().isBlank()) {
      if (!configured.hasServiceRole()) {
        throw new SettingException(
            Setting.DB_SERVICE_USER.variable
                + " is unset or the owner "
                + Setting.DB_USER.variable
                + ": with "
                + Setting.DB_URL.variable
                + ", ingest and queries connect as a role of their own that owns nothing"
                + " (tenant isolation); create it as docs/operations.md#database-roles shows and set "
                + Setting.DB_SERVICE_USER.variable
                + " and "
                + Setting.DB_SERVICE_PASSWORD.variable);
      }
      return new DatabaseLauncher(configured, null);
    }
    EmbeddedPostgres embedded = startEmbedded(dataDir.resolve("postgres"), embeddedPort);
    // no user= in the URL: the driver would prefer it to the role each pool connects as
    String url = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
    createServiceRole(embedded);
    LOG.info(
        "GLUST_DB_URL is unset: started embedded PostgreSQL at {} with data in {}", url, dataDir);
    return new DatabaseLauncher(
        configured.at(url, "postgres", "").withServiceRole(EMBEDDED_SERVICE_ROLE, ""), embedded);
  }

  /** The owner (the superuser postgres) grants it its privileges once migrations have run. */
  private static void createServiceRole(EmbeddedPostgres embedded) {
    try (Connection c = embedded.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + EMBEDDED_SERVICE_ROLE
              + "') THEN CREATE ROLE "
              + EMBEDDED_SERVICE_ROLE
              + " LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the embedded database's service role", e);
    }
  }

  private static EmbeddedPostgres startEmbedded(Path dataDir, int port) {
    requireWritable(dataDir);
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false) // keep what was ingested across restarts
              .setPGStartupWait(Duration.ofSeconds(60))
              // The library starts PostgreSQL for throwaway test databases (-F: fsync off,
              // synchronous_commit off). Glust answers a client after the commit, so the commit
              // must be on disk by then: a crash of the machine or of both processes must not
              // lose an acknowledged record or corrupt the cluster. Passed at every start (not
              // stored in the cluster), so a data directory made without them gets them too.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * Creates the embedded cluster's directory, or refuses in one line: in a container the data
   * directory is often a bind mount owned by root while the image runs as another user, and
   * PostgreSQL's own failure would be a long trace about initdb.
   */
  private static void requireWritable(Path dataDir) {
    String problem = null;
    try {
      Files.createDirectories(dataDir);
      if (!Files.isWritable(dataDir)) {
        problem = dataDir + " is not writable";
      }
    } catch (AccessDeniedException e) {
      problem = e.getFile() + ": permission denied";
    } catch (FileSystemException e) {
      problem =
          e.getFile()
              + ": "
              + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
    } catch (IOException e) {
      problem = e.toString();
    }
    if (problem != null) {
      throw new SettingException(
          Setting.DATA_DIR.variable
              + "="
              + dataDir.getParent()
              + " cannot hold the embedded PostgreSQL for user "
              + System.getProperty("user.name")
              + " ("
              + problem
              + "): give the directory to this user, mount a volume there, or set "
              + Setting.DB_URL.variable);
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
