package dev.glust.adapter.query;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.RateLimitStatus;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.out.QueryTimedOutException;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place query failures become HTTP answers: bad parameters 400 naming the parameter,
 * storage trouble 503 with Retry-After. Jaeger's paths get Jaeger's error envelope, the Prometheus
 * API's paths Prometheus' ({@code status}, {@code errorType}, {@code error}).
 */
@Controller
class QueryErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(QueryErrorHandler.class);

  /** The Prometheus-compatible API (dev.glust.adapter.query.prometheus), answered its own way. */
  private static final String PROMETHEUS_PATHS = "/prometheus/";

  @Error(global = true, exception = InvalidQueryException.class)
  HttpResponse<Map<String, Object>> invalid(HttpRequest<?> request, InvalidQueryException e) {
    return respond(request, HttpStatus.BAD_REQUEST, e.getMessage(), e.parameter());
  }

  @Error(global = true, exception = StorageUnavailableException.class)
  HttpResponse<Map<String, Object>> unavailable(
      HttpRequest<?> request, StorageUnavailableException e) {
    LOG.warn("query failed, storage unavailable: {}", e.getMessage());
    return respond(request, HttpStatus.SERVICE_UNAVAILABLE, "storage is unavailable", null)
        .header("Retry-After", "5");
  }

  @Error(global = true, exception = QueryTimedOutException.class)
  HttpResponse<Map<String, Object>> timedOut(HttpRequest<?> request, QueryTimedOutException e) {
    LOG.warn("query cancelled by the query timeout: {}", e.getMessage());
    return respond(
            request,
            HttpStatus.SERVICE_UNAVAILABLE,
            "the query ran longer than the server's query timeout; narrow its time range or"
                + " filters, or retry later",
            null)
        .header("Retry-After", "5");
  }

  @Error(global = true, exception = StorageRejectedException.class)
  HttpResponse<Map<String, Object>> rejected(HttpRequest<?> request, StorageRejectedException e) {
    return respond(request, HttpStatus.BAD_REQUEST, e.getMessage(), null);
  }

  /** A request the access guard refused: 401, 403, 429 with Retry-After, or 400 (tenant). */
  static MutableHttpResponse<Map<String, Object>> refused(
      HttpRequest<?> request, AccessDecision decision) {
    switch (decision.verdict()) {
      case UNAUTHENTICATED:
        return respond(request, HttpStatus.UNAUTHORIZED, decision.reason(), null)
            .header("WWW-Authenticate", "Bearer");
      case FORBIDDEN:
        return respond(request, HttpStatus.FORBIDDEN, decision.reason(), null);
      case RATE_LIMITED:
        return respond(request, HttpStatus.TOO_MANY_REQUESTS, decision.reason(), null)
            .header(
                "Retry-After",
                Long.toString(
                    decision.rateLimit().map(RateLimitStatus::retryAfterSeconds).orElse(1L)));
      case INVALID_TENANT:
        return respond(request, HttpStatus.BAD_REQUEST, decision.reason(), null);
      default:
        throw new IllegalArgumentException("an allowed request is not an error");
    }
  }

  static boolean isJaeger(HttpRequest<?> request) {
    String path = request.getPath();
    return path.startsWith("/api/") && !path.startsWith("/api/v1/");
  }

  private static MutableHttpResponse<Map<String, Object>> respond(
      HttpRequest<?> request, HttpStatus status, String message, String parameter) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (isJaeger(request)) {
      body.putAll(JaegerJson.envelope(null));
      body.put("errors", List.of(ApiJson.ordered("code", status.getCode(), "msg", message)));
    } else if (request.getPath().startsWith(PROMETHEUS_PATHS)) {
      // refusals before the Prometheus API's own handlers (keys, rate limits) in its envelope
      body.put("status", "error");
      body.put("errorType", status.getCode() >= 500 ? "unavailable" : "bad_data");
      body.put("error", message);
    } else {
      body.put("error", message);
      if (parameter != null) {
        body.put("parameter", parameter);
      }
    }
    return HttpResponse.<Map<String, Object>>status(status).body(body);
  }
}
