package dev.glust.adapter.query.loki;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one query read, for Loki's {@code stats} (Grafana's query inspector shows its summary) and
 * the {@code warnings} that say when a scan stopped at its cap.
 */
final class QueryStats {
  private final long startedNanos = System.nanoTime();
  private final int maxRecords;
  private long records;
  private long bytes;
  private long returned;
  private boolean truncated;

  QueryStats(int maxRecords) {
    this.maxRecords = maxRecords;
  }

  void add(LogScan.Figures figures) {
    records += figures.records();
    bytes += figures.bytes();
    truncated |= figures.truncated();
  }

  void returned(long entries) {
    returned += entries;
  }

  List<String> warnings() {
    List<String> out = new ArrayList<>();
    if (truncated) {
      out.add(
          "Glust read only the newest "
              + maxRecords
              + " log records of the range; the answer covers those. Narrow the time range or"
              + " the stream selector (service_name, level, trace_id, |= \"text\").");
    }
    return out;
  }

  Map<String, Object> json() {
    double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("bytesProcessedPerSecond", (long) (bytes / seconds));
    summary.put("linesProcessedPerSecond", (long) (records / seconds));
    summary.put("totalBytesProcessed", bytes);
    summary.put("totalLinesProcessed", records);
    summary.put("execTime", seconds);
    summary.put("queueTime", 0);
    summary.put("subqueries", 0);
    summary.put("totalEntriesReturned", returned);
    summary.put("splits", 0);
    summary.put("shards", 0);
    summary.put("totalPostFilterLines", returned);
    summary.put("totalStructuredMetadataBytesProcessed", 0);
    Map<String, Object> store = new LinkedHashMap<>();
    store.put("totalChunksRef", 0);
    store.put("totalChunksDownloaded", 0);
    store.put("chunksDownloadTime", 0);
    store.put("decompressedBytes", bytes);
    store.put("decompressedLines", records);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("summary", summary);
    out.put("querier", Map.of("store", store));
    out.put("ingester", Map.of("totalReached", 0, "totalChunksMatched", 0, "totalBatches", 0));
    return out;
  }
}
