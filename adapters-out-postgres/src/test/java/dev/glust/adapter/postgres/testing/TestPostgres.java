package dev.glust.adapter.postgres.testing;

import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests, found in this order: the one {@code GLUST_TEST_DB_URL} names
 * (with {@code GLUST_TEST_DB_USER} / {@code GLUST_TEST_DB_PASSWORD}), a Testcontainers container
 * when a Docker daemon can start one, else an embedded PostgreSQL. One server per JVM; every caller
 * gets a fresh database on it, so tests never see each other's rows. The server's user owns the
 * schema (and, being a superuser when embedded, bypasses row-level security); the service login
 * role {@link #SERVICE_USER}, created once per server, is the one Glust's pools connect as ({@link
 * Database#settings()}), so that tests go through the tenant policies as the service does. On a
 * {@code GLUST_TEST_DB_URL} server the user therefore needs {@code CREATEROLE} (or the role must
 * exist with password {@link #SERVICE_PASSWORD}).
 */
public final class TestPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static TestPostgres shared;

  /** The service role tests connect as: no owner, no superuser, subject to the policies. */
  public static final String SERVICE_USER = "glust_test_service";

  public static final String SERVICE_PASSWORD = "glust-test-service";

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String source;

  private TestPostgres(String adminUrl, String user, String password, String source) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.source = source;
  }

  public static synchronized TestPostgres server() {
    if (shared == null) {
      shared = start();
      shared.createServiceRole();
      LOG.info("tests use PostgreSQL from {}", shared.source);
    }
    return shared;
  }

  /** Creates an empty database and returns its connection details. */
  public Database createDatabase() {
    String name = "glust_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database on " + source, e);
    }
    return new Database(withDatabase(adminUrl, name), user, password);
  }

  private void createServiceRole() {
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + SERVICE_USER
              + "') THEN CREATE ROLE "
              + SERVICE_USER
              + " LOGIN PASSWORD '"
              + SERVICE_PASSWORD
              + "'; END IF; END $$");
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState()) && !"42710".equals(e.getSQLState())) {
        throw new IllegalStateException("could not create the service role on " + source, e);
      } // another JVM on the same server created it meanwhile
    }
  }

  /** Connection details of one test database: the owner's and the service role's. */
  public record Database(String jdbcUrl, String user, String password) {
    /** The storage adapter on this database, with the default settings. */
    public PostgresStorage openStorage() {
      return PostgresStorage.open(settings());
    }

    /**
     * The owner's connection. Its session is the default tenant's (id 1, migration V7), so rows
     * that tests insert with SQL get that tenant_id, as the service's would.
     */
    public Connection connect() throws SQLException {
      Connection c = DriverManager.getConnection(jdbcUrl, user, password);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT set_config('glust.tenant_id', '1', false)");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    }

    public Connection connectAsService() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, SERVICE_USER, SERVICE_PASSWORD);
    }

    /** Glust's settings for this database: the owner migrates, the service role does the rest. */
    public PostgresSettings settings() {
      return PostgresSettings.of(jdbcUrl, user, password)
          .withServiceRole(SERVICE_USER, SERVICE_PASSWORD);
    }

    /** The first column of the first row of {@code sql}, e.g. a {@code count(*)}. */
    public long queryLong(String sql) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        if (!rs.next()) {
          throw new IllegalStateException("no row from " + sql);
        }
        return rs.getLong(1);
      }
    }

    /**
     * Inserts {@code rows} plain log records of service {@code seed} (no trace, one attribute), all
     * in today's partition from its start on: a table a text search must scan for a while.
     */
    public void seedLogs(int rows) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        insertEmptyResourceAndScope(this);
        s.execute(
            "INSERT INTO logs (timestamp, observed_offset_nanos, flags, severity_number,"
                + " dropped_attributes_count, timestamp_nanos, own_time, log_key, resource_id,"
                + " scope_id, service_name, severity_text, event_name, body, log_attributes)"
                + " SELECT t, 0, 0, 9, 0, 0, true, decode(md5(i::text), 'hex'), "
                + EMPTY_RESOURCE_ID
                + ", "
                + EMPTY_SCOPE_ID
                + ", 'seed', 'INFO', '',"
                + " to_jsonb('seeded record number ' || i || ' with some words to scan'),"
                + " jsonb_build_object('i', i)"
                + " FROM generate_series(1, "
                + rows
                + ") i, LATERAL (SELECT date_trunc('day', now() AT TIME ZONE 'UTC')"
                + " AT TIME ZONE 'UTC' + i * interval '1 millisecond' AS t) times");
        s.execute("ANALYZE logs");
      }
    }
  }

  /** The ids (SQL expressions) of the empty resource and scope, for rows seeded with SQL. */
  public static final String EMPTY_RESOURCE_ID = "glust_resource_id('{}', 0, '')";

  public static final String EMPTY_SCOPE_ID = "glust_scope_id('', '', '{}', 0, '')";

  /** Stores the empty resource and scope that rows seeded with SQL reference. */
  public static void insertEmptyResourceAndScope(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO resources VALUES ("
              + EMPTY_RESOURCE_ID
              + ", 0, '', '{}') ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO scopes VALUES ("
              + EMPTY_SCOPE_ID
              + ", 0, '', '', '', '{}') ON CONFLICT DO NOTHING");
    }
  }

  private static TestPostgres start() {
    String url = System.getenv("GLUST_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return new TestPostgres(
          url,
          Objects.requireNonNullElse(System.getenv("GLUST_TEST_DB_USER"), ""),
          Objects.requireNonNullElse(System.getenv("GLUST_TEST_DB_PASSWORD"), ""),
          "GLUST_TEST_DB_URL");
    }
    TestPostgres container = tryContainer();
    return container != null ? container : embedded();
  }

  /** A daemon that exists but cannot pull or start the image falls through to embedded. */
  @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
  private static TestPostgres tryContainer() {
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return null;
      }
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
      container.start();
      return new TestPostgres(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          "Testcontainers");
    } catch (RuntimeException | LinkageError e) {
      LOG.info("no usable Docker for Testcontainers ({}); using embedded PostgreSQL", e.toString());
      return null;
    }
  }

  private static TestPostgres embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException ignored) {
                      // the JVM is going away; the data directory is temporary
                    }
                  }));
      // no user in the URL: the driver would take it over the one a connection asks for
      return new TestPostgres(
          "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
          "postgres",
          "",
          "embedded PostgreSQL");
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  /** Replaces the database name in {@code jdbc:postgresql://host:port/name?params}. */
  static String withDatabase(String url, String database) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    if (slash < 0 || !url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("expected jdbc:postgresql://host:port/db, got " + url);
    }
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }
}
