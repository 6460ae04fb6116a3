package dev.glust.application.port.out;

import dev.glust.application.port.model.TenantUsage;
import java.time.LocalDate;
import java.util.List;

/**
 * Usage per tenant, signal and UTC day from {@code firstDay} to {@code lastDay} (both included),
 * sorted by day, tenant and signal. The one port that reads across tenants: it reads counts only,
 * never a tenant's records, and only the admin scope reaches it.
 */
public interface LoadTenantUsagePort {
  List<TenantUsage> loadTenantUsage(LocalDate firstDay, LocalDate lastDay);
}
