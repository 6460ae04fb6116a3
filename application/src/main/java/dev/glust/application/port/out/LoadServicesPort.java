package dev.glust.application.port.out;

import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import java.util.List;

/** Reads which services and operations storage holds in a time range. */
public interface LoadServicesPort {
  List<ServiceSummary> loadServices(TimeRange range);

  /** Every service that ever sent a span, by name. */
  List<String> loadServiceNames();

  List<Operation> loadOperations(String service, TimeRange range);
}
