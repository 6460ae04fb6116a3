package dev.glust.application.service;

import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.in.HealthReport;
import dev.glust.application.port.out.ProbeStoragePort;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Glust is healthy (ready for traffic) when its storage is reachable and migrated and its ingest
 * pipelines are not saturated: a saturated instance would refuse the traffic sent to it.
 */
public final class HealthService implements CheckHealthQuery {
  private final ProbeStoragePort storage;
  private final BooleanSupplier ingestSaturated;

  public HealthService(ProbeStoragePort storage) {
    this(storage, () -> false);
  }

  public HealthService(ProbeStoragePort storage, BooleanSupplier ingestSaturated) {
    this.storage = Objects.requireNonNull(storage);
    this.ingestSaturated = Objects.requireNonNull(ingestSaturated);
  }

  @Override
  public HealthReport check() {
    Optional<String> problem = storage.problem();
    boolean saturated = ingestSaturated.getAsBoolean();
    return new HealthReport(
        problem.isEmpty() && !saturated,
        Map.of("storage", problem.orElse("UP"), "ingest", saturated ? "SATURATED" : "UP"));
  }
}
