package dev.glust.application.service;

import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * A storage fake that records each batch it was given and its tenant, or fails like a database that
 * is down.
 */
final class InMemoryStorage implements SaveSpansPort, SaveLogsPort, SaveMetricsPort {
  final List<TenantId> batchTenants = new ArrayList<>();
  final List<List<Span>> spanBatches = new ArrayList<>();
  final List<List<LogRecord>> logBatches = new ArrayList<>();
  final List<List<MetricPoint>> metricBatches = new ArrayList<>();
  boolean down;

  @Override
  public void saveSpans(TenantId tenant, List<Span> spans) {
    failIfDown();
    batchTenants.add(tenant);
    spanBatches.add(spans);
  }

  @Override
  public void saveLogs(TenantId tenant, List<LogRecord> logs) {
    failIfDown();
    batchTenants.add(tenant);
    logBatches.add(logs);
  }

  @Override
  public void saveMetrics(TenantId tenant, List<MetricPoint> points) {
    failIfDown();
    batchTenants.add(tenant);
    metricBatches.add(points);
  }

  private void failIfDown() {
    if (down) {
      throw new StorageUnavailableException("database is down", null);
    }
  }
}
