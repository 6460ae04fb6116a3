package dev.glust.bootstrap;

import dev.glust.application.port.out.StorageUnavailableException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * A receiver started without GLUST_DB_URL has no database to read: its query endpoints cannot be
 * built and answer 503 with the reason (as any storage outage does), instead of a bare 500.
 */
@Produces
@Singleton
final class StoragelessQueryHandler
    implements ExceptionHandler<BeanInstantiationException, HttpResponse<Map<String, String>>> {

  @Override
  public HttpResponse<Map<String, String>> handle(
      HttpRequest request, BeanInstantiationException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageUnavailableException) {
        return HttpResponse.<Map<String, String>>status(
                io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
            .header("Retry-After", "5")
            .body(Map.of("error", t.getMessage()));
      }
    }
    return HttpResponse.serverError(Map.of("error", "internal server error"));
  }
}
