package dev.glust.bootstrap.logging;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Ties the log lines written for a traced request to its span: while Micronaut runs the request on
 * a thread (it carries this element along its propagated context from thread to thread), the MDC
 * holds {@code trace_id} and {@code span_id}, which {@link JsonLogLayout} writes.
 */
public record TraceLogContext(String traceId, String spanId)
    implements ThreadPropagatedContextElement<Map<String, String>> {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final List<String> KEYS = List.of(TRACE_ID, SPAN_ID);

  @Override
  public Map<String, String> updateThreadContext() {
    Map<String, String> before = new HashMap<>();
    for (String key : KEYS) {
      before.put(key, MDC.get(key));
    }
    MDC.put(TRACE_ID, traceId);
    MDC.put(SPAN_ID, spanId);
    return before;
  }

  @Override
  public void restoreThreadContext(Map<String, String> before) {
    before.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}
