package dev.glust.application.port.out;

import java.util.List;

/**
 * One storage adapter, opened: every outbound storage port, the figures it wants monitored, and how
 * to let go of it. Bootstrap wires the use cases from this alone, so a new storage adapter touches
 * no other module (see {@link StorageProvider}).
 */
public interface Storage extends AutoCloseable {
  SaveSpansPort spans();

  SaveLogsPort logs();

  SaveMetricsPort metrics();

  ProbeStoragePort probe();

  LoadTracePort traceLoader();

  SearchTracesPort traceSearch();

  /** TraceQL's searches: spanset filters, their combinations, structure and aggregates. */
  SearchSpansetsPort spansetSearch();

  SearchLogsPort logSearch();

  LoadServicesPort services();

  CountLogVolumePort logVolume();

  LoadServiceActivityPort serviceActivity();

  FindNewestRecordsPort newestRecords();

  LoadMetricCatalogPort metricCatalog();

  LoadMetricPointsPort metricPoints();

  /** Rate, errors and durations per operation and minute, added up as spans were stored. */
  LoadOperationRollupsPort operationRollups();

  /** Every tenant's usage (counts only): the admin scope's one cross-tenant read. */
  LoadTenantUsagePort tenantUsage();

  /** Calls between services per minute, from parent and child spans. */
  LoadDependencyRollupsPort dependencyRollups();

  /** Where the tenants' own retentions are told (an adapter keeping everything may ignore them). */
  ApplyRetentionPort retention();

  /** What bootstrap exposes as metrics for this storage (none when it has nothing to show). */
  List<StorageMeter> meters();

  /** Releases connections and background work; the ports are not used afterwards. */
  @Override
  void close();
}
