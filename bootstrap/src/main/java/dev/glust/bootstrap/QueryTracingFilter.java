package dev.glust.bootstrap;

import dev.glust.bootstrap.logging.TraceLogContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * With self-tracing on, a SERVER span per query API request ({@code /api/…}: the native and the
 * Jaeger-compatible API), named by its route ({@code GET /api/v1/traces/{traceId}}), continuing the
 * caller's trace when it sends a W3C {@code traceparent}. Runs before the access filter, so
 * refusals are traced too. The request's log lines carry the span's ids ({@link TraceLogContext}).
 * Health probes and scrapes are not traced: they would drown the rest.
 */
@ServerFilter("/api/**")
final class QueryTracingFilter implements Ordered {
  private static final String SPAN = "glust.selfTracing.span";

  private final SelfTracing tracing;

  QueryTracingFilter(SelfTracing tracing) {
    this.tracing = tracing;
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.TRACING.order();
  }

  @RequestFilter
  void start(HttpRequest<?> request, MutablePropagatedContext propagated) {
    if (!tracing.enabled()) {
      return;
    }
    Context caller =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), request.getHeaders(), HeaderGetter.INSTANCE);
    Span span =
        tracing
            .tracer()
            .spanBuilder(request.getMethodName())
            .setParent(caller)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", request.getMethodName())
            .setAttribute("url.path", request.getPath())
            .startSpan();
    request.setAttribute(SPAN, span);
    // the request's log lines name its trace (JSON log format)
    propagated.add(
        new TraceLogContext(span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId()));
  }

  @ResponseFilter
  void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(SPAN, Span.class)
        .ifPresent(
            span -> {
              BasicHttpAttributes.getUriTemplate(request)
                  .ifPresent(
                      route -> {
                        span.updateName(request.getMethodName() + " " + route);
                        span.setAttribute("http.route", route);
                      });
              span.setAttribute("http.response.status_code", response.code());
              if (response.code() >= 500) {
                span.setStatus(StatusCode.ERROR);
              }
              span.end();
            });
  }

  private enum HeaderGetter implements TextMapGetter<HttpHeaders> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpHeaders headers) {
      return headers.names();
    }

    @Override
    public String get(HttpHeaders headers, String key) {
      return headers == null ? null : headers.get(key);
    }
  }
}
