package dev.glust.adapter.query;

import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.sse.Event;
import java.util.Map;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/** {@code GET /api/v1/logs/tail}: new log records matching the filters, as Server-Sent Events. */
@Controller("/api/v1")
class LogTailController {
  private final LogTails tails;

  LogTailController(LogTails tails) {
    this.tails = tails;
  }

  @Get("/logs/tail")
  @Produces(MediaType.TEXT_EVENT_STREAM)
  Publisher<Event<Map<String, Object>>> tail(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters parameters = new QueryParameters(request.getParameters());
    Function<TimeRange, LogSearch> filters =
        range -> parameters.logSearch(range, PageRequest.first(LogTail.BUFFER_RECORDS));
    filters.apply(new TimeRange(0, 0)); // a bad filter is a 400 now, not a broken stream later
    return tails.open(tenant, filters);
  }
}
