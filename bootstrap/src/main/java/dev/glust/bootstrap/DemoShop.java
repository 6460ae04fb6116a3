package dev.glust.bootstrap;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** A database statement as a client library would trace it. */
  private record Query(String system, String operation, String collection, String text) {
    String spanName() {
      return operation + " " + collection;
    }
  }

  private static final Query FEATURED_PRODUCTS =
      new Query(
          "postgresql",
          "SELECT",
          "products",
          "SELECT id, name, price FROM products WHERE featured ORDER BY rank LIMIT $1");
  private static final Query PRODUCT =
      new Query(
          "postgresql",
          "SELECT",
          "products",
          "SELECT id, name, description, price FROM products WHERE id = $1");
  private static final Query STOCK =
      new Query(
          "postgresql", "SELECT", "stock", "SELECT quantity FROM stock WHERE product_id = $1");
  private static final Query RESERVE =
      new Query(
          "postgresql",
          "UPDATE",
          "stock",
          "UPDATE stock SET reserved = reserved + $1 WHERE product_id = $2");
  private static final Query RELEASE =
      new Query(
          "postgresql",
          "UPDATE",
          "stock",
          "UPDATE stock SET reserved = reserved - $1 WHERE product_id = $2");
  private static final Query INSERT_ORDER =
      new Query(
          "postgresql",
          "INSERT",
          "orders",
          "INSERT INTO orders (id, user_id, amount, items) VALUES ($1, $2, $3, $4)");
  private static final Query CART_ADD = new Query("redis", "HSET", "cart", "HSET cart:? ? ?");
  private static final Query CART_READ = new Query("redis", "HGETALL", "cart", "HGETALL cart:?");

  /** An HTTP request between services: the route is the template, the path the filled-in one. */
  private record Request(String method, String route, String path) {
    String spanName() {
      return method + " " + route;
    }
  }

  /** The simulated clock of one user request, shared by every service working on it. */
  private static final class Timeline {
    long nanos;

    Timeline(long startUnixNano) {
      nanos = startUnixNano;
    }
  }

  /** A service's part in a request, within its server span; answers an HTTP status. */
  @FunctionalInterface
  private interface Handler {
    int handle(Work work);
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
  /**
   * @param headers sent with every export (e.g. the API key when Glust asks for one)
   */
  DemoShop(
      String endpoint,
      Map<String, String> headers,
      Duration metricInterval,
      RandomGenerator random) {
    this.random = random;
    frontend = new DemoService("frontend", "2.4.1", endpoint, headers, metricInterval);
    cart = new DemoService("cart", "1.9.0", endpoint, headers, metricInterval);
    checkout = new DemoService("checkout", "3.0.2", endpoint, headers, metricInterval);
    payment = new DemoService("payment", "1.2.7", endpoint, headers, metricInterval);
    inventory = new DemoService("inventory", "5.1.0", endpoint, headers, metricInterval);
    email = new DemoService("email", "0.8.3", endpoint, headers, metricInterval);
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
    Request request;
    Handler handler;
    if (pick < 0.15) {
      request = new Request("GET", "/", "/");
      handler = this::home;
    } else if (pick < 0.55) {
      request = new Request("GET", "/products/{id}", "/products/" + product);
      handler = work -> product(work, product);
    } else if (pick < 0.80) {
      request = new Request("POST", "/cart/items", "/cart/items");
      handler = work -> addToCart(work, product);
    } else {
      request = new Request("POST", "/checkout", "/checkout");
      handler = this::placeOrder;
    }
    // no parent: the browser is not instrumented, each user request starts a trace
    int status = serve(frontend, Context.root(), request, time, handler);
    return new Outcome(request.spanName(), status);
  }

  // --- what each service does ---

  private int home(Work frontend) {
    frontend.internal("render home", 6);
    int status =
        frontend.call(
            inventory,
            new Request("GET", "/products", "/products?featured=true"),
            inventory -> {
              inventory.database(FEATURED_PRODUCTS, 4);
              return 200;
            });
    return status == 200 ? 200 : 502;
  }

  private int product(Work frontend, String product) {
    frontend.span().setAttribute(PRODUCT_ID, product);
    Request request = new Request("GET", "/products/{id}", "/products/" + product);
    int status =
        frontend.call(
            inventory,
            request,
            inventory -> {
              inventory.span().setAttribute(PRODUCT_ID, product);
              inventory.database(PRODUCT, 2);
              boolean timeout = random.nextDouble() < 0.02;
              inventory.database(STOCK, timeout ? 1000 : 3);
              return timeout ? inventory.fail(DATABASE_TIMEOUT) : 200;
            });
    frontend.internal("render product page", 5);
    return status == 200 ? 200 : 502;
  }

  private int addToCart(Work frontend, String product) {
    frontend.span().setAttribute(PRODUCT_ID, product);
    return frontend.call(
        cart,
        new Request("POST", "/cart/items", "/cart/items"),
        cart -> {
          int stock =
              cart.call(
                  inventory,
                  new Request("GET", "/stock/{id}", "/stock/" + product),
                  inventory -> {
                    inventory.database(STOCK, 2);
                    return 200;
                  });
          if (stock != 200) {
            return 502;
          }
          cart.database(CART_ADD, 0.6);
          cart.log(
              Severity.INFO,
              "added " + product + " to the cart",
              Attributes.of(PRODUCT_ID, product));
          return 201;
        });
  }

  private int placeOrder(Work frontend) {
    String user = "user-" + (1000 + random.nextInt(500));
    frontend.span().setAttribute(USER_ID, user);
    int status =
        frontend.call(
            checkout,
            new Request("POST", "/orders", "/orders"),
            checkout -> checkout(checkout, user));
    frontend.internal("render order confirmation", 4);
    return status == 201 || status == 402 ? status : 502;
  }

  private int checkout(Work checkout, String user) {
    String order = "ord-" + (++orders + 10_000);
    checkout.span().setAttribute(ORDER_ID, order).setAttribute(USER_ID, user);
    long items = 1 + random.nextInt(4);
    checkout.call(
        cart,
        new Request("GET", "/cart/{user}", "/cart/" + user),
        cart -> {
          cart.database(CART_READ, 0.5);
          cart.log(
              Severity.DEBUG,
              "cart of " + user + " served from redis",
              Attributes.of(CART_ITEMS, items));
          return 200;
        });
    checkout.call(
        inventory,
        new Request("POST", "/reservations", "/reservations"),
        inventory -> {
          inventory.database(RESERVE, 5);
          return 201;
        });
    double amount = Math.round((9.99 + random.nextDouble() * 240) * 100) / 100.0;
    Attributes orderAttributes = Attributes.of(ORDER_ID, order, ORDER_AMOUNT, amount);
    int paid =
        checkout.call(
            payment,
            new Request("POST", "/charges", "/charges"),
            payment -> charge(payment, orderAttributes));
    if (paid != 201) {
      checkout.call(
          inventory,
          new Request("DELETE", "/reservations/{id}", "/reservations/" + order),
          inventory -> {
            inventory.database(RELEASE, 4);
            return 204;
          });
      checkout.log(
          paid == 402 ? Severity.WARN : Severity.ERROR,
          "order " + order + " not placed: payment answered " + paid,
          orderAttributes);
      return paid == 402 ? 402 : 502;
    }
    checkout.database(INSERT_ORDER, 3);
    checkout.call(email, new Request("POST", "/messages", "/messages"), this::confirmationMail);
    checkout.log(
        Severity.INFO,
        String.format(Locale.ROOT, "order %s placed: %d item(s), %.2f EUR", order, items, amount),
        orderAttributes);
    return 201;
  }

  private int charge(Work payment, Attributes order) {
    payment.span().setAllAttributes(order);
    payment.internal("fraud check", 8);
    double outcome = random.nextDouble();
    int status = outcome < 0.06 ? 503 : outcome < 0.15 ? 402 : 201;
    // an unavailable provider is only noticed when the client gives up after 2 s
    payment.external("https://api.payments.example/v1/charges", status, status == 503 ? 2000 : 60);
    if (status == 503) {
      return payment.fail(PROVIDER_UNAVAILABLE);
    }
    if (status == 402) {
      payment.log(Severity.WARN, "card declined: insufficient funds", order);
      return 402;
    }
    payment.log(Severity.INFO, "charge captured", order);
    return 201;
  }

  private int confirmationMail(Work email) {
    email.internal("render template order-confirmation", 3);
    // the mail server is slow now and then
    boolean slow = random.nextDouble() < 0.05;
    Span send = email.start("SMTP send", SpanKind.CLIENT);
    send.setAttribute(SERVER_ADDRESS, "smtp.mail.example").setAttribute(SERVER_PORT, 587L);
    email.pass(slow ? 450 : 35);
    email.end(send);
    if (slow) {
      email.log(Severity.WARN, "mail server slow to accept the confirmation", Attributes.empty());
    } else {
      email.log(Severity.INFO, "confirmation sent", Attributes.empty());
    }
    return 202;
  }

  // --- how services serve, call each other and their databases, log and fail ---

  /**
   * A request handled by a service: a server span (child of the caller's client span, or a new
   * trace), the request metrics recorded inside it (so that they carry exemplars).
   */
  private int serve(
      DemoService service, Context caller, Request request, Timeline time, Handler handler) {
    long start = time.nanos;
    Span span =
        service
            .tracer
            .spanBuilder(request.spanName())
            .setSpanKind(SpanKind.SERVER)
            .setParent(caller)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAttribute(HTTP_METHOD, request.method())
            .setAttribute(HTTP_ROUTE, request.route())
            .setAttribute(URL_PATH, request.path())
            .setAttribute(URL_SCHEME, "http")
            .startSpan();
    if (!Span.fromContext(caller).getSpanContext().isValid()) { // a browser, not a service
      span.setAttribute(USER_AGENT, USER_AGENTS.get(random.nextInt(USER_AGENTS.size())));
    }
    Work work = new Work(service, caller.with(span), time);
    work.pass(0.8);
    int status = handler.handle(work);
    work.pass(0.5);
    span.setAttribute(HTTP_STATUS, (long) status);
    if (status >= 500) { // for a server, a 4xx is the client's error, not its own
      span.setAttribute(ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    work.end(span);
    Attributes labels =
        Attributes.of(
            HTTP_METHOD, request.method(), HTTP_ROUTE, request.route(), HTTP_STATUS, (long) status);
    service.requests.add(1, labels, work.context);
    service.requestDuration.record((time.nanos - start) / 1e9, labels, work.context);
    return status;
  }

  /** A service at work on one request: its server span's context and the request's clock. */
  private final class Work {
    final DemoService service;
    final Context context;
    final Timeline time;

    Work(DemoService service, Context context, Timeline time) {
      this.service = service;
      this.context = context;
      this.time = time;
    }

    Span span() {
      return Span.fromContext(context);
    }

    /** About the given time passes: log-normal around it, six times as long now and then. */
    void pass(double typicalMillis) {
      double spread = Math.exp(random.nextGaussian() * 0.35);
      double outlier = random.nextDouble() < 0.01 ? 6 : 1;
      time.nanos += (long) (typicalMillis * spread * outlier * 1_000_000);
    }

    Span start(String name, SpanKind kind) {
      pass(0.2);
      return service
          .tracer
          .spanBuilder(name)
          .setSpanKind(kind)
          .setParent(context)
          .setStartTimestamp(time.nanos, TimeUnit.NANOSECONDS)
          .startSpan();
    }

    void end(Span span) {
      span.end(time.nanos, TimeUnit.NANOSECONDS);
    }

    /** An HTTP call to another service: a client span around the callee's server span. */
    int call(DemoService to, Request request, Handler handler) {
      Span client = start(request.spanName(), SpanKind.CLIENT);
      client
          .setAttribute(HTTP_METHOD, request.method())
          .setAttribute(URL_FULL, "http://" + to.name + ":8080" + request.path())
          .setAttribute(SERVER_ADDRESS, to.name)
          .setAttribute(SERVER_PORT, 8080L);
      pass(0.4); // the network, there …
      // only the span crosses the process boundary, as the traceparent header would carry it
      int status = serve(to, Context.root().with(client), request, time, handler);
      pass(0.4); // … and back
      endClient(client, status);
      return status;
    }

    /** A POST to something outside the shop: a client span without a server span. */
    void external(String url, int status, double millis) {
      Span client = start("POST", SpanKind.CLIENT);
      client
          .setAttribute(HTTP_METHOD, "POST")
          .setAttribute(URL_FULL, url)
          .setAttribute(SERVER_ADDRESS, URI.create(url).getHost())
          .setAttribute(SERVER_PORT, 443L);
      pass(millis);
      endClient(client, status);
    }

    private void endClient(Span client, int status) {
      client.setAttribute(HTTP_STATUS, (long) status);
      if (status >= 400) { // for a client, a 4xx is an error too
        client.setAttribute(ERROR_TYPE, Integer.toString(status));
        client.setStatus(StatusCode.ERROR);
      }
      end(client);
    }

    void database(Query query, double millis) {
      Span span = start(query.spanName(), SpanKind.CLIENT);
      span.setAttribute(DB_SYSTEM, query.system())
          .setAttribute(DB_SYSTEM_NAME, query.system())
          .setAttribute(DB_NAMESPACE, service.name)
          .setAttribute(DB_COLLECTION, query.collection())
          .setAttribute(DB_OPERATION, query.operation())
          .setAttribute(DB_QUERY, query.text())
          .setAttribute(SERVER_ADDRESS, service.name + "-" + query.system())
          .setAttribute(SERVER_PORT, query.system().equals("redis") ? 6379L : 5432L);
      pass(millis);
      end(span);
    }

    void internal(String name, double millis) {
      Span span = start(name, SpanKind.INTERNAL);
      pass(millis);
      end(span);
    }

    void log(Severity severity, String body, Attributes attributes) {
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

    /**
     * The request failed here: an exception event and an error status on the server span, an error
     * log; answers the status the service sends back.
     */
    int fail(Failure failure) {
      pass(0.3);
      Attributes exception =
          Attributes.of(
              AttributeKey.stringKey("exception.type"), failure.type(),
              AttributeKey.stringKey("exception.message"), failure.message(),
              AttributeKey.stringKey("exception.stacktrace"), failure.stacktrace());
      span().addEvent("exception", exception, time.nanos, TimeUnit.NANOSECONDS);
      span().setStatus(StatusCode.ERROR, failure.message());
      log(Severity.ERROR, "request failed: " + failure.message(), exception);
      return failure.status();
    }
  }

  /** Sends what every service still holds. */
  @Override
  public void close() {
    services.parallelStream().forEach(DemoService::close);
  }
}
