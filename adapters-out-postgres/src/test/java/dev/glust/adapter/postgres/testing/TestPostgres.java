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
 * gets a fresh database on it, so tests never see each other's rows.
 */
public final class TestPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static TestPostgres shared;

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

  /** Connection details of one test database. */
  public record Database(String jdbcUrl, String user, String password) {
    /** The storage adapter on this database, with the default settings. */
    public PostgresStorage openStorage() {
      return PostgresStorage.open(PostgresSettings.of(jdbcUrl, user, password));
    }

    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
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
      return new TestPostgres(
          pg.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded PostgreSQL");
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
