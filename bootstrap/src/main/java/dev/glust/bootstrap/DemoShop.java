package dev.glust.bootstrap;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A small web shop of six services (frontend, cart, checkout, payment, inventory, email), each with
 * its own OpenTelemetry SDK, serving simulated user requests: every request is one trace across the
 * services it needs, with HTTP client and server spans, database and internal spans, logs inside
 * the spans, and request metrics. Some requests fail: a declined card (a 402, a warning), an
 * unavailable payment provider or a database timeout (5xx, an exception event, an error log).
 *
 * <p>Time is simulated: each span gets explicit start and end times, so a 300 ms checkout is made
 * in microseconds and the rate of requests is the caller's choice. A request starts {@link
 * #BACKDATE} before the wall clock, so that almost every trace has ended by the time it is sent.
 */
final class DemoShop implements AutoCloseable {
  static final Duration BACKDATE = Duration.ofSeconds(1);

  private static final AttributeKey<String> HTTP_METHOD =
      AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> USER_AGENT =
      AttributeKey.stringKey("user_agent.original");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_SYSTEM_NAME =
      AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  private static final AttributeKey<String> DB_COLLECTION =
      AttributeKey.stringKey("db.collection.name");
  private static final AttributeKey<String> DB_OPERATION =
      AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> DB_QUERY = AttributeKey.stringKey("db.query.text");
  private static final AttributeKey<String> PRODUCT_ID = AttributeKey.stringKey("app.product.id");
  private static final AttributeKey<Long> CART_ITEMS = AttributeKey.longKey("app.cart.items");
  private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("app.order.id");
  private static final AttributeKey<Double> ORDER_AMOUNT =
      AttributeKey.doubleKey("app.order.amount");
  private static final AttributeKey<String> USER_ID = AttributeKey.stringKey("enduser.id");

  private static final List<String> PRODUCTS =
      List.of("OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N", "9SIQT8TOJO");
  private static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Safari/605.1.15",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile");

  /** A failure as the service's runtime would report it, with the frames of its stack trace. */
  private record Failure(int status, String type, String message, List<String> frames) {
    String stacktrace() {
      StringBuilder text = new StringBuilder(type).append(": ").append(message);
      frames.forEach(frame -> text.append("\n\tat ").append(frame));
      return text.toString();
    }
  }

  private static final Failure PROVIDER_UNAVAILABLE =
      new Failure(
          503,
          "com.example.payment.ProviderUnavailableException",
          "payment provider did not answer within 2000 ms",
          List.of(
              "com.example.payment.ProviderClient.charge(ProviderClient.java:88)",
              "com.example.payment.ChargeService.charge(ChargeService.java:41)",
              "com.example.payment.ChargeController.create(ChargeController.java:27)"));
  private static final Failure DATABASE_TIMEOUT =
      new Failure(
          500,
          "org.postgresql.util.PSQLException",
          "ERROR: canceling statement due to statement timeout",
          List.of(
              "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)",
              "com.example.inventory.StockRepository.find(StockRepository.java:52)",
              "com.example.inventory.ProductController.get(ProductController.java:33)"));

  /** The simulated clock of one request. */
  private static final class Timeline {
    long nanos;

    Timeline(long startUnixNano) {
      nanos = startUnixNano;
    }

    void pass(double millis) {
      nanos += (long) (millis * 1_000_000);
    }
  }

  /** A service's work on a request, within its server span; answers an HTTP status. */
  @FunctionalInterface
  private interface Handler {
    int handle(Context context, Timeline time);
  }

  /** What one user request came to. */
  record Outcome(String route, int status) {
    boolean failed() {
      return status >= 500;
    }
  }

  private final DemoService frontend;
  private final DemoService cart;
  private final DemoService checkout;
  private final DemoService payment;
  private final DemoService inventory;
  private final DemoService email;
  private final List<DemoService> services;
  private final RandomGenerator random;
  private long orders;

  /**
   * @param endpoint Glust's OTLP/gRPC endpoint
   * @param metricInterval how often each service exports its metrics
   */
  DemoShop(String endpoint, Duration metricInterval, RandomGenerator random) {
    this.random = random;
    frontend = new DemoService("frontend", "2.4.1", endpoint, metricInterval);
    cart = new DemoService("cart", "1.9.0", endpoint, metricInterval);
    checkout = new DemoService("checkout", "3.0.2", endpoint, metricInterval);
    payment = new DemoService("payment", "1.2.7", endpoint, metricInterval);
    inventory = new DemoService("inventory", "5.1.0", endpoint, metricInterval);
    email = new DemoService("email", "0.8.3", endpoint, metricInterval);
    services = List.of(frontend, cart, checkout, payment, inventory, email);
  }

  List<String> serviceNames() {
    return services.stream().map(s -> s.name).toList();
  }

  /** One user request through the shop, starting now (less {@link #BACKDATE}). */
  Outcome serveUserRequest(long nowUnixNano) {
    Timeline time = new Timeline(nowUnixNano - BACKDATE.toNanos());
    String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
    double pick = random.nextDouble();
    if (pick < 0.15) {
      return userRequest("GET", "/", "/", time, this::home);
    } else if (pick < 0.55) {
      return userRequest(
          "GET", "/products/{id}", "/products/" + product, time, (c, t) -> product(c, t, product));
    } else if (pick < 0.80) {
      return userRequest(
          "POST", "/cart/items", "/cart/items", time, (c, t) -> addToCart(c, t, product));
    }
    return userRequest("POST", "/checkout", "/checkout", time, this::placeOrder);
  }

  private Outcome userRequest(
      String method, String route, String path, Timeline time, Handler handler) {
    // no parent: the browser is not instrumented, each user request starts a trace
    int status = serve(frontend, Context.root(), method, route, path, time, handler);
    return new Outcome(method + " " + route, status);
  }

  // --- the services' handlers ---

  private int home(Context context, Timeline time) {
    internal(frontend, context, time, "render home", 6);
    int status =
        call(
            frontend,
            context,
            inventory,
            "GET",
            "/products",
            "/products?featured=true",
            time,
            (c, t) -> {
              database(
                  inventory,
                  c,
                  t,
                  "postgresql",
                  "SELECT",
                  "products",
                  "SELECT id, name, price FROM products WHERE featured ORDER BY rank LIMIT $1",
                  4);
              return 200;
            });
    return status == 200 ? 200 : 502;
  }

  private int product(Context context, Timeline time, String product) {
    Span.fromContext(context).setAttribute(PRODUCT_ID, product);
    int status =
        call(
            frontend,
            context,
            inventory,
            "GET",
            "/products/{id}",
            "/products/" + product,
            time,
            (c, t) -> {
              Span.fromContext(c).setAttribute(PRODUCT_ID, product);
              database(
                  inventory,
                  c,
                  t,
                  "postgresql",
                  "SELECT",
                  "products",
                  "SELECT id, name, description, price FROM products WHERE id = $1",
                  2);
              boolean timeout = random.nextDouble() < 0.02;
              database(
                  inventory,
                  c,
                  t,
                  "postgresql",
                  "SELECT",
                  "stock",
                  "SELECT quantity FROM stock WHERE product_id = $1",
                  timeout ? 1000 : 3);
              if (timeout) {
                return fail(inventory, c, t, DATABASE_TIMEOUT, "stock");
              }
              return 200;
            });
    internal(frontend, context, time, "render product page", 5);
    return status == 200 ? 200 : 502;
  }

  private int addToCart(Context context, Timeline time, String product) {
    Span.fromContext(context).setAttribute(PRODUCT_ID, product);
    return call(
        frontend,
        context,
        cart,
        "POST",
        "/cart/items",
        "/cart/items",
        time,
        (c, t) -> {
          int stock =
              call(
                  cart,
                  c,
                  inventory,
                  "GET",
                  "/stock/{id}",
                  "/stock/" + product,
                  t,
                  (ic, it) -> {
                    database(
                        inventory,
                        ic,
                        it,
                        "postgresql",
                        "SELECT",
                        "stock",
                        "SELECT quantity FROM stock WHERE product_id = $1",
                        2);
                    return 200;
                  });
          if (stock != 200) {
            return 502;
          }
          database(cart, c, t, "redis", "HSET", "cart", "HSET cart:{user} {product} 1", 0.6);
          log(
              cart,
              c,
              t,
              Severity.INFO,
              "added " + product + " to the cart",
              Attributes.of(PRODUCT_ID, product));
          return 201;
        });
  }

  private int placeOrder(Context context, Timeline time) {
    String user = "user-" + (1000 + random.nextInt(500));
    Span.fromContext(context).setAttribute(USER_ID, user);
    int status =
        call(
            frontend,
            context,
            checkout,
            "POST",
            "/orders",
            "/orders",
            time,
            (c, t) -> checkout(c, t, user));
    internal(frontend, context, time, "render order confirmation", 4);
    return status == 201 || status == 402 ? status : 502;
  }

  private int checkout(Context context, Timeline time, String user) {
    String order = "ord-" + (++orders + 10_000);
    Span.fromContext(context).setAttribute(ORDER_ID, order).setAttribute(USER_ID, user);
    long items = 1 + random.nextInt(4);
    call(
        checkout,
        context,
        cart,
        "GET",
        "/cart/{user}",
        "/cart/" + user,
        time,
        (c, t) -> {
          database(cart, c, t, "redis", "HGETALL", "cart", "HGETALL cart:{user}", 0.5);
          log(
              cart,
              c,
              t,
              Severity.DEBUG,
              "cart of " + user + " served from redis",
              Attributes.of(CART_ITEMS, items));
          return 200;
        });
    call(
        checkout,
        context,
        inventory,
        "POST",
        "/reservations",
        "/reservations",
        time,
        (c, t) -> {
          database(
              inventory,
              c,
              t,
              "postgresql",
              "UPDATE",
              "stock",
              "UPDATE stock SET reserved = reserved + $1 WHERE product_id = $2",
              5);
          return 201;
        });
    double amount = Math.round((9.99 + random.nextDouble() * 240) * 100) / 100.0;
    Attributes orderAttributes = Attributes.of(ORDER_ID, order, ORDER_AMOUNT, amount);
    int paid =
        call(
            checkout,
            context,
            payment,
            "POST",
            "/charges",
            "/charges",
            time,
            (c, t) -> charge(c, t, orderAttributes));
    if (paid != 201) {
      call(
          checkout,
          context,
          inventory,
          "DELETE",
          "/reservations/{id}",
          "/reservations/" + order,
          time,
          (c, t) -> {
            database(
                inventory,
                c,
                t,
                "postgresql",
                "UPDATE",
                "stock",
                "UPDATE stock SET reserved = reserved - $1 WHERE product_id = $2",
                4);
            return 204;
          });
      Severity severity = paid == 402 ? Severity.WARN : Severity.ERROR;
      log(
          checkout,
          context,
          time,
          severity,
          "order " + order + " not placed: payment answered " + paid,
          orderAttributes);
      return paid == 402 ? 402 : 502;
    }
    database(
        checkout,
        context,
        time,
        "postgresql",
        "INSERT",
        "orders",
        "INSERT INTO orders (id, user_id, amount, items) VALUES ($1, $2, $3, $4)",
        3);
    call(checkout, context, email, "POST", "/messages", "/messages", time, this::confirmationMail);
    log(
        checkout,
        context,
        time,
        Severity.INFO,
        "order "
            + order
            + " placed: "
            + items
            + " item(s), "
            + String.format(Locale.ROOT, "%.2f", amount)
            + " EUR",
        orderAttributes);
    return 201;
  }

  private int charge(Context context, Timeline time, Attributes order) {
    Span.fromContext(context).setAllAttributes(order);
    internal(payment, context, time, "fraud check", 8);
    double outcome = random.nextDouble();
    int status = outcome < 0.06 ? 503 : outcome < 0.15 ? 402 : 201;
    external(payment, context, time, "POST", "https://api.payments.example/v1/charges", status, 60);
    if (status == 503) {
      return fail(payment, context, time, PROVIDER_UNAVAILABLE, "charges");
    }
    if (status == 402) {
      log(payment, context, time, Severity.WARN, "card declined: insufficient funds", order);
      return 402;
    }
    log(payment, context, time, Severity.INFO, "charge captured", order);
    return 201;
  }

  private int confirmationMail(Context context, Timeline time) {
    internal(email, context, time, "render template order-confirmation", 3);
    // the mail server is slow now and then
    double smtp = random.nextDouble() < 0.05 ? 450 : 35;
    Span send = start(email, context, time, "SMTP send", SpanKind.CLIENT);
    send.setAttribute(SERVER_ADDRESS, "smtp.mail.example").setAttribute(SERVER_PORT, 587L);
    time.pass(duration(smtp));
    send.end(time.nanos, TimeUnit.NANOSECONDS);
    log(
        email,
        context,
        time,
        smtp > 100 ? Severity.WARN : Severity.INFO,
        smtp > 100 ? "mail server slow to accept the confirmation" : "confirmation sent",
        Attributes.empty());
    return 202;
  }

  // --- how the services call each other and their databases ---

  /**
   * A request handled by a service: a server span (child of the caller's client span, or a new
   * trace), the request metrics recorded inside it (so that they carry exemplars).
   */
  private int serve(
      DemoService service,
      Context caller,
      String method,
      String route,
      String path,
      Timeline time,
      Handler handler) {
    long start = time.nanos;
    Span span =
        service
            .tracer
            .spanBuilder(method + " " + route)
            .setSpanKind(SpanKind.SERVER)
            .setParent(caller)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAttribute(HTTP_METHOD, method)
            .setAttribute(HTTP_ROUTE, route)
            .setAttribute(URL_PATH, path)
            .setAttribute(URL_SCHEME, "http")
            .setAttribute(USER_AGENT, USER_AGENTS.get(random.nextInt(USER_AGENTS.size())))
            .startSpan();
    Context context = caller.with(span);
    time.pass(duration(0.8));
    int status = handler.handle(context, time);
    time.pass(duration(0.5));
    span.setAttribute(HTTP_STATUS, (long) status);
    if (status >= 500) {
      span.setAttribute(ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end(time.nanos, TimeUnit.NANOSECONDS);
    Attributes labels =
        Attributes.of(HTTP_METHOD, method, HTTP_ROUTE, route, HTTP_STATUS, (long) status);
    service.requests.add(1, labels, context);
    service.requestDuration.record((time.nanos - start) / 1e9, labels, context);
    return status;
  }

  /** An HTTP call from one service to another: a client span around the callee's server span. */
  private int call(
      DemoService from,
      Context context,
      DemoService to,
      String method,
      String route,
      String path,
      Timeline time,
      Handler handler) {
    Span client = start(from, context, time, method + " " + route, SpanKind.CLIENT);
    client
        .setAttribute(HTTP_METHOD, method)
        .setAttribute(URL_FULL, "http://" + to.name + ":8080" + path)
        .setAttribute(SERVER_ADDRESS, to.name)
        .setAttribute(SERVER_PORT, 8080L);
    time.pass(duration(0.4)); // the network, there …
    // only the span crosses the process boundary, as the traceparent header would carry it
    int status = serve(to, Context.root().with(client), method, route, path, time, handler);
    time.pass(duration(0.4)); // … and back
    endClient(client, status, time);
    return status;
  }

  /** A call to something outside the shop: a client span without a server span. */
  private void external(
      DemoService from,
      Context context,
      Timeline time,
      String method,
      String url,
      int status,
      double millis) {
    Span client = start(from, context, time, method, SpanKind.CLIENT);
    client
        .setAttribute(HTTP_METHOD, method)
        .setAttribute(URL_FULL, url)
        .setAttribute(SERVER_ADDRESS, java.net.URI.create(url).getHost())
        .setAttribute(SERVER_PORT, 443L);
    time.pass(status == 503 ? 2000 : duration(millis));
    endClient(client, status, time);
  }

  private static void endClient(Span client, int status, Timeline time) {
    client.setAttribute(HTTP_STATUS, (long) status);
    if (status >= 400) { // for a client, any 4xx is an error too
      client.setAttribute(ERROR_TYPE, Integer.toString(status));
      client.setStatus(StatusCode.ERROR);
    }
    client.end(time.nanos, TimeUnit.NANOSECONDS);
  }

  private void database(
      DemoService service,
      Context context,
      Timeline time,
      String system,
      String operation,
      String collection,
      String query,
      double millis) {
    Span span = start(service, context, time, operation + " " + collection, SpanKind.CLIENT);
    span.setAttribute(DB_SYSTEM, system)
        .setAttribute(DB_SYSTEM_NAME, system)
        .setAttribute(DB_NAMESPACE, service.name)
        .setAttribute(DB_COLLECTION, collection)
        .setAttribute(DB_OPERATION, operation)
        .setAttribute(DB_QUERY, query)
        .setAttribute(SERVER_ADDRESS, service.name + "-" + system)
        .setAttribute(SERVER_PORT, system.equals("redis") ? 6379L : 5432L);
    time.pass(duration(millis));
    span.end(time.nanos, TimeUnit.NANOSECONDS);
  }

  private void internal(
      DemoService service, Context context, Timeline time, String name, double millis) {
    Span span = start(service, context, time, name, SpanKind.INTERNAL);
    time.pass(duration(millis));
    span.end(time.nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The service's current span failed: an exception event and an error log in it, the 5xx the
   * service answers.
   */
  private int fail(
      DemoService service, Context context, Timeline time, Failure failure, String on) {
    time.pass(duration(0.3));
    Attributes exception =
        Attributes.of(
            AttributeKey.stringKey("exception.type"), failure.type(),
            AttributeKey.stringKey("exception.message"), failure.message(),
            AttributeKey.stringKey("exception.stacktrace"), failure.stacktrace());
    Span span = Span.fromContext(context);
    span.addEvent("exception", exception, time.nanos, TimeUnit.NANOSECONDS);
    span.setStatus(StatusCode.ERROR, failure.message());
    log(
        service,
        context,
        time,
        Severity.ERROR,
        "request failed on " + on + ": " + failure.message(),
        exception);
    return failure.status();
  }

  private Span start(
      DemoService service, Context parent, Timeline time, String name, SpanKind kind) {
    time.pass(duration(0.2));
    return service
        .tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent)
        .setStartTimestamp(time.nanos, TimeUnit.NANOSECONDS)
        .startSpan();
  }

  private static void log(
      DemoService service,
      Context context,
      Timeline time,
      Severity severity,
      String body,
      Attributes attributes) {
    service
        .logger
        .logRecordBuilder()
        .setContext(context)
        .setTimestamp(time.nanos, TimeUnit.NANOSECONDS)
        .setSeverity(severity)
        .setSeverityText(severity.name())
        .setBody(body)
        .setAllAttributes(attributes)
        .emit();
  }

  /** A typical time around the given one: log-normal, with a slow outlier now and then. */
  private double duration(double typicalMillis) {
    double spread = Math.exp(random.nextGaussian() * 0.35);
    double outlier = random.nextDouble() < 0.01 ? 6 : 1;
    return typicalMillis * spread * outlier;
  }

  /** Sends what every service still holds. */
  @Override
  public void close() {
    services.parallelStream().forEach(DemoService::close);
  }
}
