package dev.glust.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL 17 a benchmark runs against, on its own data directory and a fixed port,
 * so that it can be stopped and started again at the same address with its data (the chaos suite).
 */
final class BenchDatabase implements AutoCloseable {
  /** The role the service's ingest and queries connect as (local: trusted, no password). */
  static final String SERVICE_ROLE = "glust_service";

  private final Path dataDirectory;
  private final int port;
  private final String sharedBuffers;
  private EmbeddedPostgres postgres;

  private BenchDatabase(Path dataDirectory, int port, String sharedBuffers) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.sharedBuffers = sharedBuffers;
  }

  /** A fresh database in a new temporary directory, on a free port. */
  static BenchDatabase start(String sharedBuffers) throws IOException {
    BenchDatabase db =
        new BenchDatabase(Files.createTempDirectory("glust-bench-pg"), freePort(), sharedBuffers);
    db.start();
    return db;
  }

  /** Starts the server on the existing data directory (creating it only the first time). */
  void start() throws IOException {
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("shared_buffers", sharedBuffers)
            .setServerConfig("max_wal_size", "4GB")
            .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      createServiceRole(c);
    } catch (SQLException e) {
      throw new IOException("could not create the service role", e);
    }
  }

  /**
   * Creates {@link #SERVICE_ROLE} unless it exists: no superuser, no {@code BYPASSRLS}, so that
   * row-level security applies to it as to the service's role.
   */
  static void createServiceRole(Connection owner) throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + SERVICE_ROLE
              + "') THEN CREATE ROLE "
              + SERVICE_ROLE
              + " LOGIN; END IF; END $$");
    }
  }

  /**
   * A benchmark database's URL without the owner it names, which the driver would prefer to the
   * service role's.
   */
  static String withoutUser(String jdbcUrl) {
    return jdbcUrl.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
  }

  /** Stops the server (pg_ctl stop, fast mode: open transactions are rolled back); data stays. */
  void stop() throws IOException {
    postgres.close();
    postgres = null;
  }

  /** The server's postmaster (first line of {@code postmaster.pid}), to account its CPU. */
  long postmasterPid() throws IOException {
    return Long.parseLong(
        Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  /** Stops the server if it runs and deletes its data. */
  @Override
  public void close() throws IOException {
    if (postgres != null) {
      stop();
    }
    deleteRecursively(dataDirectory);
  }

  static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
