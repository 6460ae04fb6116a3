package dev.glust.application.port.out;

import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.util.List;

/** Durably stores spans: all of the list in one transaction, or none of it. */
public interface SaveSpansPort {
  /**
   * @throws StorageUnavailableException when storage is down or busy (nothing was stored)
   * @throws StorageRejectedException when storage refuses the data itself (nothing was stored)
   */
  void saveSpans(TenantId tenant, List<Span> spans);
}
