package dev.glust.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.glust.application.port.out.ApplyRetentionPort;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.FindNewestRecordsPort;
import dev.glust.application.port.out.LoadDependencyRollupsPort;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.application.port.out.LoadTenantUsagePort;
import dev.glust.application.port.out.LoadTracePort;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.SearchLogsPort;
import dev.glust.application.port.out.SearchSpansetsPort;
import dev.glust.application.port.out.SearchTracesPort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.port.out.StorageMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL storage adapter: two connection pools of the service role (ingest and queries, so
 * that queries never take the writers' connections), a small one of the owner (migrations and
 * partition upkeep: DDL, which the service role may not do), the schema migrated on open, time
 * partitions kept up (created ahead, expired by retention) on a schedule, and the port
 * implementations.
 */
public final class PostgresStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);
  static final String MIGRATIONS = "classpath:db/migration/postgres";

  /**
   * The owner's connections: the maintenance schedule, the sealer (which holds one for as long as
   * it builds indexes) and a writer creating a partition on demand each need one at most.
   */
  static final int OWNER_POOL_SIZE = 3;

  /**
   * Each batch passes through the ingest sessions' staging tables (see CopyBatchWriter); a batch of
   * the default 10,000 records fits in memory with this rather than PostgreSQL's 8 MB.
   */
  static final String INGEST_TEMP_BUFFERS = "32MB";

  /**
   * When the first partition maintenance runs after opening (sooner if maintenance is more
   * frequent): time for whoever opened storage to tell it the tenants' retentions ({@link
   * #retention()}) before anything is dropped.
   */
  static final Duration FIRST_EXPIRY_AFTER = Duration.ofMinutes(1);

  private final HikariDataSource ownerDataSource;
  private final HikariDataSource dataSource;
  private final HikariDataSource queryDataSource;
  private final PostgresPartitions partitions;
  private final PartitionSealer sealer;
  private final ScheduledExecutorService maintenance;
  private final ScheduledExecutorService sealing;
  private final PostgresTelemetryWriter writer;
  private final PostgresMetricWriter metricWriter;
  private final PostgresHealthProbe probe;
  private final PostgresTraceReader traces;
  private final PostgresSpansetSearch spansets;
  private final PostgresLogReader logReader;
  private final PostgresServiceCatalog services;
  private final PostgresActivityReader activity;
  private final PostgresMetricCatalog metricCatalog;
  private final PostgresMetricPointReader metricPoints;
  private final PostgresTenantUsage tenantUsage;
  private final PostgresOperationRollupReader operationRollups;
  private final PostgresDependencyRollups dependencyRollups;
  private final DependencyMatcher dependencyMatcher;
  private final ScheduledExecutorService dependencyMatching;
  private final OperationRollupFolder rollupFolder;
  private final ScheduledExecutorService rollupFolding;

  private final Clock clock;

  private PostgresStorage(
      HikariDataSource ownerDataSource,
      HikariDataSource dataSource,
      HikariDataSource queryDataSource,
      String schemaVersion,
      Optional<String> serviceRole,
      PartitionSettings partitionSettings,
      SpanRollups spanRollups,
      Clock clock) {
    PostgresMapper mapper = new PostgresMapper();
    ResourcesAndScopes resourcesAndScopes = new ResourcesAndScopes();
    SqlReads reads = new SqlReads(queryDataSource);
    this.ownerDataSource = ownerDataSource;
    this.dataSource = dataSource;
    this.queryDataSource = queryDataSource;
    this.partitions =
        new PostgresPartitions(ownerDataSource, partitionSettings, clock, serviceRole);
    this.sealer = new PartitionSealer(ownerDataSource, partitionSettings.sealAfter(), clock);
    this.maintenance = daemonScheduler("glust-partition-maintenance");
    // index builds may take minutes: apart, so that partitions ahead are never late for them
    this.sealing = daemonScheduler("glust-partition-sealer");
    this.writer =
        new PostgresTelemetryWriter(
            dataSource,
            mapper,
            partitions,
            resourcesAndScopes,
            spanRollups,
            new DependencyRecorder(clock));
    this.metricWriter =
        new PostgresMetricWriter(dataSource, mapper, partitions, resourcesAndScopes, clock);
    this.probe = new PostgresHealthProbe(dataSource, schemaVersion);
    this.traces = new PostgresTraceReader(reads, mapper, resourcesAndScopes);
    this.spansets = new PostgresSpansetSearch(reads, mapper, resourcesAndScopes);
    this.logReader = new PostgresLogReader(reads, mapper, resourcesAndScopes);
    this.services = new PostgresServiceCatalog(reads);
    this.activity = new PostgresActivityReader(reads);
    this.metricCatalog = new PostgresMetricCatalog(reads);
    this.metricPoints = new PostgresMetricPointReader(reads);
    this.tenantUsage = new PostgresTenantUsage(reads);
    this.operationRollups = new PostgresOperationRollupReader(reads);
    this.dependencyRollups = new PostgresDependencyRollups(reads);
    this.dependencyMatcher = new DependencyMatcher(dataSource);
    this.dependencyMatching = daemonScheduler("glust-dependency-matcher");
    this.rollupFolder = new OperationRollupFolder(ownerDataSource);
    this.rollupFolding = daemonScheduler("glust-rollup-folder");
    this.clock = clock;
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** {@link #open(PostgresSettings, PartitionSettings, Clock)} with the default partitioning. */
  public static PostgresStorage open(PostgresSettings settings) {
    return open(settings, PartitionSettings.DEFAULTS, Clock.systemUTC());
  }

  /** {@link #open(PostgresSettings, PartitionSettings, SpanRollups, Clock)} with rollups on. */
  public static PostgresStorage open(
      PostgresSettings settings, PartitionSettings partitionSettings, Clock clock) {
    return open(settings, partitionSettings, SpanRollups.ON, clock);
  }

  /**
   * Connects, migrates the schema to the newest version (as the owner), grants the service role its
   * privileges and creates the partitions ahead; fails if any of it cannot be done. Partition
   * maintenance (expiry included) runs first after {@link #FIRST_EXPIRY_AFTER}, then every {@link
   * PartitionSettings#maintenanceEvery()}; sealing runs that often from the start.
   */
  public static PostgresStorage open(
      PostgresSettings settings,
      PartitionSettings partitionSettings,
      SpanRollups spanRollups,
      Clock clock) {
    HikariDataSource ownerDataSource = new HikariDataSource(ownerPoolConfig(settings));
    HikariDataSource dataSource = null;
    HikariDataSource queryDataSource = null;
    try {
      String version = migrate(ownerDataSource);
      if (settings.hasServiceRole()) {
        ServiceRole.grant(ownerDataSource, settings.serviceUser());
        LeakproofSearch.markIfSuperuser(ownerDataSource);
      } else {
        LOG.warn(
            "no service role: ingest and queries connect as the owner {} (see"
                + " docs/operations.md#database-roles)",
            settings.user());
      }
      dataSource = new HikariDataSource(ingestPoolConfig(settings));
      queryDataSource = new HikariDataSource(queryPoolConfig(settings));
      if (settings.hasServiceRole()) {
        ServiceRole.requireBound(dataSource, settings.serviceUser());
      }
      PostgresStorage storage =
          new PostgresStorage(
              ownerDataSource,
              dataSource,
              queryDataSource,
              version,
              settings.hasServiceRole() ? Optional.of(settings.serviceUser()) : Optional.empty(),
              partitionSettings,
              spanRollups,
              clock);
      // Nothing is expired yet: the tenants' retentions are told right after opening, and a tenant
      // kept longer than the global retention would otherwise lose partitions at each restart.
      storage.partitions.createAhead();
      long every = partitionSettings.maintenanceEvery().toMillis();
      storage.maintenance.scheduleWithFixedDelay(
          storage::maintainQuietly,
          Math.min(every, FIRST_EXPIRY_AFTER.toMillis()),
          every,
          TimeUnit.MILLISECONDS);
      storage.sealing.scheduleWithFixedDelay(storage::sealQuietly, 0, every, TimeUnit.MILLISECONDS);
      long matchEvery = DependencyMatcher.EVERY.toMillis();
      storage.dependencyMatching.scheduleWithFixedDelay(
          storage::matchDependenciesQuietly, matchEvery, matchEvery, TimeUnit.MILLISECONDS);
      long foldEvery = OperationRollupFolder.EVERY.toMillis();
      storage.rollupFolding.scheduleWithFixedDelay(
          storage::foldOperationRollupsQuietly, foldEvery, foldEvery, TimeUnit.MILLISECONDS);
      LOG.info("PostgreSQL ready at {} (schema version {})", settings.jdbcUrl(), version);
      return storage;
    } catch (RuntimeException e) {
      ownerDataSource.close();
      if (dataSource != null) {
        dataSource.close();
      }
      if (queryDataSource != null) {
        queryDataSource.close();
      }
      throw e;
    }
  }

  /** Creates partitions ahead and drops expired ones now (it also runs on its schedule). */
  public void maintainPartitions() {
    maintain();
  }

  /**
   * Partitions, then tenant usage: days before yesterday folded into one row per tenant and signal,
   * days before the oldest partition any signal keeps deleted (for the tenant kept longest).
   */
  private void maintain() {
    foldOperationRollupsQuietly(); // so that retention also deletes the rollups appended before
    partitions.maintain();
    PostgresTenantUsage.compactBefore(
        ownerDataSource, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1));
    usageKeptFrom().ifPresent(day -> PostgresTenantUsage.deleteBefore(ownerDataSource, day));
    PostgresDependencyRollups.deleteBefore(ownerDataSource, partitions.tenantsKeptFrom("spans"));
  }

  /** The first day of usage kept; empty when a signal is kept for ever. */
  private Optional<LocalDate> usageKeptFrom() {
    long earliest = Long.MAX_VALUE;
    for (String table : PostgresPartitions.TABLES) {
      earliest = Math.min(earliest, partitions.keptFrom(table));
    }
    return earliest == Long.MIN_VALUE
        ? Optional.empty()
        : Optional.of(
            LocalDate.ofInstant(Instant.EPOCH.plus(earliest, ChronoUnit.MICROS), ZoneOffset.UTC));
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (RuntimeException e) {
      // The database may be away; the next run (or a writer, on demand) catches up.
      LOG.warn("partition maintenance failed: {}", e.getMessage());
    }
  }

  /**
   * Looks for the parents of the pending children due now, by the storage's clock (it also runs on
   * its schedule, every {@link DependencyMatcher#EVERY}): see {@link DependencyMatcher}.
   */
  public void matchDependencies() {
    dependencyMatcher.matchDue(clock.instant());
  }

  private void matchDependenciesQuietly() {
    try {
      matchDependencies();
    } catch (RuntimeException e) {
      // the database may be away: the children wait, the next pass probes them
      LOG.warn("matching service dependencies failed: {}", e.getMessage());
    }
  }

  /**
   * Folds the span rollups appended by span batches into the stored rows now (it also runs on its
   * schedule, every {@link OperationRollupFolder#EVERY}): see {@link OperationRollupFolder}.
   *
   * @return the appended rows folded (0 while another instance folds)
   */
  public int foldOperationRollups() {
    return rollupFolder.fold();
  }

  private void foldOperationRollupsQuietly() {
    try {
      foldOperationRollups();
    } catch (RuntimeException e) {
      // the database may be away: the appended rows wait, readers add them up meanwhile
      LOG.warn("folding span rollups failed: {}", e.getMessage());
    }
  }

  /**
   * Builds the read indexes of the partitions due to be sealed now, waiting for another instance's
   * sealing to end first (it also runs on its schedule).
   *
   * @return the partitions sealed by this call
   */
  public int sealPartitions() {
    return sealer.sealDue(true);
  }

  private void sealQuietly() {
    try {
      sealer.sealDue(false); // another instance is sealing: it does the work, this one skips
    } catch (RuntimeException e) {
      LOG.warn("partition sealing failed: {}", e.getMessage());
    }
  }

  /** What this instance did to keep storage bounded and idempotent (for metrics). */
  public StorageFigures figures() {
    return new StorageFigures(
        partitions.partitionsCreated(),
        partitions.partitionsDropped(),
        writer.duplicatesSkipped() + metricWriter.duplicatesSkipped(),
        writer.expiredOnArrival() + metricWriter.expiredOnArrival(),
        metricWriter.seriesUpserted(),
        partitions.seriesDeleted(),
        sealer.partitionsSealed(),
        sealer.partitionsAwaitingSeal());
  }

  /**
   * @param partitionsCreated partitions this instance created (ahead or on demand)
   * @param partitionsDropped partitions this instance dropped by retention
   * @param duplicatesSkipped records not inserted because they were stored already (retries)
   * @param expiredOnArrival records not stored because they were older than the retention
   * @param metricSeriesUpserted metric series rows written (new ones, or a widened {@code
   *     [first_seen, last_seen]})
   * @param metricSeriesDeleted metric series deleted by retention
   * @param partitionsSealed partitions whose read indexes this instance built
   * @param partitionsAwaitingSeal partitions due to be sealed that still lack read indexes, as this
   *     instance's last sealing run found them (less those it sealed since)
   */
  public record StorageFigures(
      long partitionsCreated,
      long partitionsDropped,
      long duplicatesSkipped,
      long expiredOnArrival,
      long metricSeriesUpserted,
      long metricSeriesDeleted,
      long partitionsSealed,
      long partitionsAwaitingSeal) {}

  /** The ingest connection pool's state now (all zero once closed), for metrics. */
  public PoolFigures poolFigures() {
    return figuresOf(dataSource);
  }

  /** The query connection pool's state now (all zero once closed), for metrics. */
  public PoolFigures queryPoolFigures() {
    return figuresOf(queryDataSource);
  }

  private static PoolFigures figuresOf(HikariDataSource dataSource) {
    HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
    if (pool == null || dataSource.isClosed()) {
      return new PoolFigures(0, 0, 0, 0);
    }
    return new PoolFigures(
        pool.getActiveConnections(),
        pool.getIdleConnections(),
        pool.getTotalConnections(),
        pool.getThreadsAwaitingConnection());
  }

  /**
   * @param active connections lent out
   * @param idle connections waiting in the pool
   * @param total active and idle
   * @param pendingThreads threads waiting for a connection
   */
  public record PoolFigures(int active, int idle, int total, int pendingThreads) {
    public PoolFigures {
      if (active < 0 || idle < 0 || total < 0 || pendingThreads < 0) {
        throw new IllegalArgumentException("negative pool figure");
      }
    }
  }

  static String migrate(DataSource dataSource) {
    Flyway flyway = Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load();
    flyway.migrate();
    return flyway.info().current().getVersion().getVersion();
  }

  private static HikariConfig ownerPoolConfig(PostgresSettings settings) {
    HikariConfig config =
        poolConfig(settings, settings.user(), settings.password(), OWNER_POOL_SIZE);
    config.setPoolName("glust-postgres-owner");
    config.setMinimumIdle(1); // partition upkeep is occasional
    return config;
  }

  private static HikariConfig ingestPoolConfig(PostgresSettings settings) {
    HikariConfig config = servicePoolConfig(settings, settings.poolSize());
    config.setPoolName("glust-postgres");
    config.addDataSourceProperty("options", "-c temp_buffers=" + INGEST_TEMP_BUFFERS);
    return config;
  }

  /**
   * Every statement on a query connection is cancelled by the server after the query timeout (a
   * session setting, so it covers whatever runs there, and never the writers' sessions).
   */
  private static HikariConfig queryPoolConfig(PostgresSettings settings) {
    HikariConfig config = servicePoolConfig(settings, settings.queryPoolSize());
    config.setPoolName("glust-postgres-query");
    config.addDataSourceProperty(
        "options", "-c statement_timeout=" + settings.queryTimeout().toMillis());
    config.addDataSourceProperty(
        "socketTimeout", Math.max(60, settings.queryTimeout().toSeconds() + 30));
    return config;
  }

  private static HikariConfig servicePoolConfig(PostgresSettings settings, int size) {
    return settings.hasServiceRole()
        ? poolConfig(settings, settings.serviceUser(), settings.servicePassword(), size)
        : poolConfig(settings, settings.user(), settings.password(), size);
  }

  private static HikariConfig poolConfig(
      PostgresSettings settings, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
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

  @Override
  public SaveSpansPort spans() {
    return writer;
  }

  @Override
  public SaveLogsPort logs() {
    return writer;
  }

  @Override
  public SaveMetricsPort metrics() {
    return metricWriter;
  }

  @Override
  public ProbeStoragePort probe() {
    return probe;
  }

  @Override
  public LoadTracePort traceLoader() {
    return traces;
  }

  @Override
  public SearchTracesPort traceSearch() {
    return traces;
  }

  @Override
  public SearchSpansetsPort spansetSearch() {
    return spansets;
  }

  @Override
  public SearchLogsPort logSearch() {
    return logReader;
  }

  @Override
  public LoadServicesPort services() {
    return services;
  }

  @Override
  public CountLogVolumePort logVolume() {
    return activity;
  }

  @Override
  public LoadServiceActivityPort serviceActivity() {
    return activity;
  }

  @Override
  public FindNewestRecordsPort newestRecords() {
    return activity;
  }

  @Override
  public LoadMetricCatalogPort metricCatalog() {
    return metricCatalog;
  }

  @Override
  public LoadMetricPointsPort metricPoints() {
    return metricPoints;
  }

  @Override
  public LoadTenantUsagePort tenantUsage() {
    return tenantUsage;
  }

  @Override
  public LoadOperationRollupsPort operationRollups() {
    return operationRollups;
  }

  @Override
  public LoadDependencyRollupsPort dependencyRollups() {
    return dependencyRollups;
  }

  /**
   * Keeps the tenants' overrides for the next partition maintenance (within {@link
   * PartitionSettings#maintenanceEvery()}); records as old as the longest are stored from now on.
   */
  @Override
  public ApplyRetentionPort retention() {
    return partitions::applyRetention;
  }

  /**
   * The storage figures and both connection pools' state as meters (names and tags are what
   * dashboards query). Read when scraped.
   */
  @Override
  public List<StorageMeter> meters() {
    // "created" comes first: Prometheus reserves the _created suffix, and its client strips it
    return List.of(
        counter(
            "glust.storage.created.partitions",
            "Partitions this instance created (ahead or on demand)",
            StorageFigures::partitionsCreated),
        counter(
            "glust.storage.dropped.partitions",
            "Partitions this instance dropped by retention",
            StorageFigures::partitionsDropped),
        counter(
            "glust.storage.duplicate.records",
            "Records not stored again because a retry had stored them already",
            StorageFigures::duplicatesSkipped),
        counter(
            "glust.storage.expired.records",
            "Records not stored because they arrived older than the retention",
            StorageFigures::expiredOnArrival),
        counter(
            "glust.storage.upserted.metric.series",
            "Metric series rows written: new series, or a widened first_seen/last_seen",
            StorageFigures::metricSeriesUpserted),
        counter(
            "glust.storage.deleted.metric.series",
            "Metric series deleted by retention (not written to within it)",
            StorageFigures::metricSeriesDeleted),
        retentionDeleted("traces"),
        retentionDeleted("logs"),
        retentionDeleted("metrics"),
        counter(
            "glust.storage.sealed.partitions",
            "Partitions whose read-only indexes this instance built once they were sealed",
            StorageFigures::partitionsSealed),
        StorageMeter.counter(
            "glust.dependency.parents.missing",
            "Child spans of another process whose parent span was not stored 5 minutes after them"
                + " (no dependency counted)",
            dependencyMatcher::parentsMissing),
        StorageMeter.counter(
            "glust.dependency.children.matched",
            "Child spans whose parent span the dependency matcher found (of any service)",
            dependencyMatcher::childrenMatched),
        StorageMeter.gauge(
            "glust.storage.partitions.awaiting.seal",
            "Sealed partitions still without their read-only indexes (last sealing run)",
            Map.of(),
            () -> figures().partitionsAwaitingSeal()),
        poolConnections("ingest", "active", dataSource, PoolFigures::active),
        poolConnections("ingest", "idle", dataSource, PoolFigures::idle),
        poolConnections("ingest", "total", dataSource, PoolFigures::total),
        poolPendingThreads("ingest", dataSource),
        poolConnections("query", "active", queryDataSource, PoolFigures::active),
        poolConnections("query", "idle", queryDataSource, PoolFigures::idle),
        poolConnections("query", "total", queryDataSource, PoolFigures::total),
        poolPendingThreads("query", queryDataSource));
  }

  private StorageMeter retentionDeleted(String signal) {
    return new StorageMeter(
        "glust.storage.retention.deleted",
        "Rows deleted by a tenant's retention shorter than the partitions are kept, by signal",
        Map.of("signal", signal),
        true,
        () -> partitions.rowsDeleted(signal));
  }

  private StorageMeter counter(
      String name, String description, ToLongFunction<StorageFigures> figure) {
    return StorageMeter.counter(name, description, () -> figure.applyAsLong(figures()));
  }

  private static StorageMeter poolConnections(
      String pool, String state, HikariDataSource source, ToIntFunction<PoolFigures> figure) {
    return StorageMeter.gauge(
        "glust.db.pool.connections",
        "Database connections of the pool, by state",
        Map.of("pool", pool, "state", state),
        () -> figure.applyAsInt(figuresOf(source)));
  }

  private static StorageMeter poolPendingThreads(String pool, HikariDataSource source) {
    return StorageMeter.gauge(
        "glust.db.pool.pending.threads",
        "Threads waiting for a database connection",
        Map.of("pool", pool),
        () -> figuresOf(source).pendingThreads());
  }

  @Override
  public void close() {
    maintenance.shutdownNow();
    sealing.shutdownNow();
    dependencyMatching.shutdownNow();
    rollupFolding.shutdownNow();
    queryDataSource.close();
    dataSource.close();
    ownerDataSource.close();
  }
}
