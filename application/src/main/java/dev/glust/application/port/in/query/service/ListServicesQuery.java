package dev.glust.application.port.in.query.service;

import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import java.util.List;

/** What services and operations exist, for pickers and overviews. */
public interface ListServicesQuery {
  List<ServiceSummary> listServices(TimeRange range);

  /** Every service that ever sent a span, by name (as Jaeger lists them). */
  List<String> listServiceNames();

  List<Operation> listOperations(String service, TimeRange range);
}
