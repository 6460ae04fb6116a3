package dev.glust.bootstrap;

import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.adapter.postgres.PostgresStorage.PoolFigures;
import dev.glust.adapter.postgres.PostgresStorage.StorageFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The storage adapter's figures and its connection pool as Prometheus series, read from {@link
 * PostgresStorage} when scraped: the adapter itself stays free of Micrometer. (Meters hold the
 * storage weakly; the application context holds it for as long as it runs.)
 */
@Context
@Requires(property = GlustMode.PROPERTY, notEquals = "receiver") // no database in receiver mode
final class StorageMetrics {

  StorageMetrics(MeterRegistry registry, PostgresStorage storage) {
    // "created" comes first: Prometheus reserves the _created suffix, and its client strips it
    counter(
        registry,
        storage,
        "glust.storage.created.partitions",
        "Partitions this instance created (ahead or on demand)",
        StorageFigures::partitionsCreated);
    counter(
        registry,
        storage,
        "glust.storage.dropped.partitions",
        "Partitions this instance dropped by retention",
        StorageFigures::partitionsDropped);
    counter(
        registry,
        storage,
        "glust.storage.duplicate.records",
        "Records not stored again because a retry had stored them already",
        StorageFigures::duplicatesSkipped);
    counter(
        registry,
        storage,
        "glust.storage.expired.records",
        "Records not stored because they arrived older than the retention",
        StorageFigures::expiredOnArrival);
    counter(
        registry,
        storage,
        "glust.storage.upserted.metric.series",
        "Metric series rows written: new series, or a last_seen refresh",
        StorageFigures::metricSeriesUpserted);
    counter(
        registry,
        storage,
        "glust.storage.deleted.metric.series",
        "Metric series deleted by retention (not written to within it)",
        StorageFigures::metricSeriesDeleted);
    counter(
        registry,
        storage,
        "glust.storage.sealed.partitions",
        "Partitions whose read-only indexes this instance built once they were sealed",
        StorageFigures::partitionsSealed);
    Gauge.builder(
            "glust.storage.partitions.awaiting.seal",
            storage,
            s -> s.figures().partitionsAwaitingSeal())
        .description("Sealed partitions still without their read-only indexes (last sealing run)")
        .register(registry);
    pool(registry, storage, "ingest", PostgresStorage::poolFigures);
    pool(registry, storage, "query", PostgresStorage::queryPoolFigures);
  }

  private static void counter(
      MeterRegistry registry,
      PostgresStorage storage,
      String name,
      String description,
      ToLongFunction<StorageFigures> figure) {
    FunctionCounter.builder(name, storage, s -> figure.applyAsLong(s.figures()))
        .description(description)
        .register(registry);
  }

  /**
   * The gauges of one connection pool, tagged {@code pool=ingest|query}. They observe the storage
   * itself (gauges hold their object weakly: a lambda of its own would be collected).
   */
  private static void pool(
      MeterRegistry registry,
      PostgresStorage storage,
      String pool,
      Function<PostgresStorage, PoolFigures> figures) {
    poolConnections(registry, storage, pool, "active", figures, PoolFigures::active);
    poolConnections(registry, storage, pool, "idle", figures, PoolFigures::idle);
    poolConnections(registry, storage, pool, "total", figures, PoolFigures::total);
    Gauge.builder("glust.db.pool.pending.threads", storage, s -> figures.apply(s).pendingThreads())
        .description("Threads waiting for a database connection")
        .tag("pool", pool)
        .register(registry);
  }

  private static void poolConnections(
      MeterRegistry registry,
      PostgresStorage storage,
      String pool,
      String state,
      Function<PostgresStorage, PoolFigures> figures,
      ToDoubleFunction<PoolFigures> figure) {
    Gauge.builder("glust.db.pool.connections", storage, s -> figure.applyAsDouble(figures.apply(s)))
        .description("Database connections of the pool, by state")
        .tag("pool", pool)
        .tag("state", state)
        .register(registry);
  }
}
