package dev.glust.adapter.query;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.RateLimitStatus;
import dev.glust.application.port.in.Scope;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Arrays;
import java.util.List;

/**
 * The query API's door: every path but the open ones (health and metrics by default) needs an API
 * key with the {@code query} scope ({@code admin} under {@value #ADMIN_PATHS}, which reads across
 * tenants) and passes the client's rate limit, as decided by the same access guard as the OTLP
 * receivers; answers carry the {@code X-RateLimit-*} headers. CORS preflight requests pass
 * (browsers send them without credentials).
 *
 * <p>Every request it lets through gets the tenant it reads as the {@link #TENANT} attribute, which
 * the controllers bind; on open paths that is the tenant {@code X-Scope-OrgID} names (the default
 * one when absent), as no key is asked for there.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class QueryAccessFilter implements Ordered {
  private static final String RATE_LIMIT = "glust.rateLimit";

  /** The request attribute holding the {@link TenantId} the request reads. */
  static final String TENANT = "glust.tenant";

  /** The request attribute holding the whole {@link AccessDecision} that let it through. */
  static final String ACCESS = "glust.access";

  /** Paths that read every tenant's usage rather than one tenant's records. */
  static final String ADMIN_PATHS = "/api/v1/tenants/";

  private final CheckAccessUseCase access;
  private final List<String> openPaths;

  QueryAccessFilter(
      CheckAccessUseCase access,
      @Value("${glust.security.open-paths:/health,/metrics}") String openPaths) {
    this.access = access;
    this.openPaths =
        Arrays.stream(openPaths.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.order();
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> check(HttpRequest<?> request) {
    if (request.getMethod() == HttpMethod.OPTIONS) {
      return null;
    }
    String tenant = request.getHeaders().get(CheckAccessUseCase.TENANT_HEADER);
    AccessDecision decision =
        isOpen(request.getPath())
            ? CheckAccessUseCase.namedOrDefault(tenant)
            : access.check(
                request.getHeaders().get(HttpHeaders.AUTHORIZATION),
                request.getHeaders().get("X-API-Key"),
                tenant,
                scopeOf(request.getPath()),
                request.getRemoteAddress().getAddress().getHostAddress());
    decision.rateLimit().ifPresent(status -> request.setAttribute(RATE_LIMIT, status));
    if (decision.allowed()) {
      request.setAttribute(TENANT, decision.tenant());
      request.setAttribute(ACCESS, decision);
      return null;
    }
    MutableHttpResponse<?> refusal = QueryErrorHandler.refused(request, decision);
    decision
        .rateLimit()
        .ifPresent(status -> QueryRateLimitHeaders.of(status).forEach(refusal::header));
    return refusal;
  }

  @ResponseFilter
  void rateLimitHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(RATE_LIMIT, RateLimitStatus.class)
        .ifPresent(status -> QueryRateLimitHeaders.of(status).forEach(response::header));
  }

  private static Scope scopeOf(String path) {
    return path.startsWith(ADMIN_PATHS) ? Scope.ADMIN : Scope.QUERY;
  }

  private boolean isOpen(String path) {
    if (WebExplorerController.servesStaticFile(path)) {
      return true; // the explorer's own files hold no data; its API calls need the key
    }
    for (String open : openPaths) {
      if (path.equals(open) || path.startsWith(open.endsWith("/") ? open : open + "/")) {
        return true;
      }
    }
    return false;
  }
}
