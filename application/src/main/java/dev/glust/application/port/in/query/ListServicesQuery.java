package dev.glust.application.port.in.query;

import dev.glust.domain.common.TimeRange;
import java.util.List;

/** What services and operations exist, for pickers and overviews. */
public interface ListServicesQuery {
  List<ServiceSummary> listServices(TimeRange range);

  List<Operation> listOperations(String service, TimeRange range);
}
