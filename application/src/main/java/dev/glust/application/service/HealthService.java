package dev.glust.application.service;

import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.in.HealthReport;
import dev.glust.application.port.out.ProbeStoragePort;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Glust is healthy when its storage is reachable and migrated. */
public final class HealthService implements CheckHealthQuery {
  private final ProbeStoragePort storage;

  public HealthService(ProbeStoragePort storage) {
    this.storage = Objects.requireNonNull(storage);
  }

  @Override
  public HealthReport check() {
    Optional<String> problem = storage.problem();
    return new HealthReport(problem.isEmpty(), Map.of("storage", problem.orElse("UP")));
  }
}
