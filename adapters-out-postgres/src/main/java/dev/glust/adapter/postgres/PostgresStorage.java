package dev.glust.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.application.port.out.LoadTracePort;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.SearchLogsPort;
import dev.glust.application.port.out.SearchTracesPort;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL storage adapter: a connection pool, the schema migrated on open, and the port
 * implementations that use them.
 */
public final class PostgresStorage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);
  static final String MIGRATIONS = "classpath:db/migration/postgres";

  private final HikariDataSource dataSource;
  private final PostgresTelemetryWriter writer;
  private final PostgresHealthProbe probe;
  private final PostgresTraceReader traces;
  private final PostgresLogReader logReader;
  private final PostgresServiceCatalog services;
  private final PostgresActivityReader activity;

  private PostgresStorage(HikariDataSource dataSource, String schemaVersion) {
    PostgresMapper mapper = new PostgresMapper();
    SqlReads reads = new SqlReads(dataSource);
    this.dataSource = dataSource;
    this.writer = new PostgresTelemetryWriter(dataSource, mapper);
    this.probe = new PostgresHealthProbe(dataSource, schemaVersion);
    this.traces = new PostgresTraceReader(reads, mapper);
    this.logReader = new PostgresLogReader(reads, mapper);
    this.services = new PostgresServiceCatalog(reads);
    this.activity = new PostgresActivityReader(reads);
  }

  /** Connects and migrates the schema to the newest version; fails if either cannot be done. */
  public static PostgresStorage open(PostgresSettings settings) {
    HikariDataSource dataSource = new HikariDataSource(poolConfig(settings));
    try {
      String version = migrate(dataSource);
      LOG.info("PostgreSQL ready at {} (schema version {})", settings.jdbcUrl(), version);
      return new PostgresStorage(dataSource, version);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  static String migrate(DataSource dataSource) {
    Flyway flyway = Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load();
    flyway.migrate();
    return flyway.info().current().getVersion().getVersion();
  }

  private static HikariConfig poolConfig(PostgresSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("glust-postgres");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    // Fail a request fast while the database is away; the client is told to retry.
    config.setConnectionTimeout(settings.connectTimeout().toMillis());
    config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
    config.addDataSourceProperty(
        "connectTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
    config.addDataSourceProperty("socketTimeout", 60);
    config.addDataSourceProperty("tcpKeepAlive", true);
    config.addDataSourceProperty("ApplicationName", "glust");
    return config;
  }

  public SaveSpansPort spans() {
    return writer;
  }

  public SaveLogsPort logs() {
    return writer;
  }

  public ProbeStoragePort probe() {
    return probe;
  }

  public LoadTracePort traceLoader() {
    return traces;
  }

  public SearchTracesPort traceSearch() {
    return traces;
  }

  public SearchLogsPort logSearch() {
    return logReader;
  }

  public LoadServicesPort services() {
    return services;
  }

  public CountLogVolumePort logVolume() {
    return activity;
  }

  public LoadServiceActivityPort serviceActivity() {
    return activity;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
