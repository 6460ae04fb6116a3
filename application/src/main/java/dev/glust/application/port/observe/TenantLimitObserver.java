package dev.glust.application.port.observe;

import dev.glust.domain.tenant.TenantId;

/**
 * Told each time a tenant's limit refused records; a metrics adapter implements it. Called on
 * request threads: it must be quick and must not block.
 */
@FunctionalInterface
public interface TenantLimitObserver {
  TenantLimitObserver NONE = (tenant, signal, limit, records) -> {};

  /**
   * @param signal {@code traces}, {@code logs} or {@code metrics}
   * @param limit {@code records_per_second}, {@code bytes_per_second} or {@code max_active_series}
   * @param records how many records it refused
   */
  void limited(TenantId tenant, String signal, String limit, int records);
}
