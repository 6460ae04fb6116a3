package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A known shop workload of a tenant of its own, so nothing else sent to the same Glust mixes in:
 * frontend → cart {@link #CART_CALLS} times (GET /products, 100 ms → GET /cart, 20 ms) and frontend
 * → payments {@link #PAYMENT_CALLS} times (POST /checkout, 200 ms → charge, 50 ms), of which {@link
 * #PAYMENT_ERRORS} charges failed. All spans are of kind SERVER, one trace per call, a call every
 * 50 s or so over the last 45 minutes, the two kinds of call interleaved. Each service's spans go
 * in a request of their own: the cart spans before their parents, the payment spans after theirs.
 */
final class ServiceWorkload {
  static final String TENANT = "shop";
  static final int CART_CALLS = 30;
  static final int PAYMENT_CALLS = 20;
  static final int PAYMENT_ERRORS = 5;
  static final String PRODUCTS = "GET /products";
  static final String CHECKOUT = "POST /checkout";
  static final String CART = "GET /cart";
  static final String CHARGE = "charge";
  static final int PRODUCTS_MS = 100;
  static final int CHECKOUT_MS = 200;
  static final int CART_MS = 20;
  static final int CHARGE_MS = 50;

  private static final int SERVER = 2;
  private static final int STATUS_ERROR = 2;
  private static final long SECOND = 1_000_000_000L;

  void send(RunningGlust glust) throws Exception {
    long base = ExplorerSample.nowNanos() - 45 * 60 * SECOND; // in the last hour for 15 min
    JsonArray frontend = new JsonArray();
    JsonArray cart = new JsonArray();
    JsonArray payments = new JsonArray();
    int paymentCalls = 0;
    for (int i = 0; i < CART_CALLS + PAYMENT_CALLS; i++) {
      // 50 s apart, give or take up to 40 s, so the charts have some shape
      long start = base + i * 50 * SECOND + (i * 7919 % 40) * SECOND;
      String traceId = ExplorerSample.randomHex(16);
      String parent = ExplorerSample.randomHex(8);
      boolean toCart = i % 5 < 3; // three of every five calls: 30 of 50
      frontend.add(
          span(
              traceId,
              parent,
              null,
              toCart ? PRODUCTS : CHECKOUT,
              start,
              toCart ? PRODUCTS_MS : CHECKOUT_MS,
              false));
      long childStart = start + 5_000_000L;
      if (toCart) {
        cart.add(
            span(traceId, ExplorerSample.randomHex(8), parent, CART, childStart, CART_MS, false));
      } else {
        boolean failed = paymentCalls++ % (PAYMENT_CALLS / PAYMENT_ERRORS) == 0; // every 4th
        payments.add(
            span(
                traceId,
                ExplorerSample.randomHex(8),
                parent,
                CHARGE,
                childStart,
                CHARGE_MS,
                failed));
      }
    }
    post(glust, "cart", cart);
    post(glust, "frontend", frontend);
    post(glust, "payments", payments);
  }

  private static JsonObject span(
      String traceId,
      String id,
      String parent,
      String name,
      long start,
      int durationMs,
      boolean failed) {
    JsonObject s = new JsonObject();
    s.addProperty("traceId", traceId);
    s.addProperty("spanId", id);
    if (parent != null) {
      s.addProperty("parentSpanId", parent);
    }
    s.addProperty("name", name);
    s.addProperty("kind", SERVER);
    s.addProperty("startTimeUnixNano", Long.toString(start));
    s.addProperty("endTimeUnixNano", Long.toString(start + durationMs * 1_000_000L));
    if (failed) {
      JsonObject status = new JsonObject();
      status.addProperty("code", STATUS_ERROR);
      status.addProperty("message", "card declined");
      s.add("status", status);
    }
    return s;
  }

  private static void post(RunningGlust glust, String service, JsonArray spans) throws Exception {
    JsonObject body =
        OtlpJsonBodies.envelope("resourceSpans", "scopeSpans", "spans", spans, service);
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(
            glust
                .postOtlp("/v1/traces", "application/json", bytes, "X-Scope-OrgID", TENANT)
                .statusCode())
        .isEqualTo(200);
  }
}
