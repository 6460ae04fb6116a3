package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web explorer in a real headless Chromium (the system's, never a downloaded one) against the
 * whole application. Without Chromium and chromedriver the tests are skipped, saying so.
 */
class WebExplorerBrowserTest {
  private static final Path CHROMIUM =
      Path.of(System.getProperty("glust.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("glust.chromedriver", "/usr/bin/chromedriver"));

  /** Where screenshots go; {@code -Dglust.screenshots=../docs} refreshes those in docs/. */
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("glust.screenshots", "target/screenshots"));

  private static RunningGlust glust;

  /** With API keys on: the explorer asks for one and sends it along, also for the live tail. */
  private static RunningGlust secured;

  private static final String INGEST_KEY = "browser-ingest-key";
  private static final String QUERY_KEY = "browser-query-key";
  private static ExplorerSample sample;
  private static WebDriver browser;
  private static Path profile;

  private static final boolean BROWSER_PRESENT =
      Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  private static final String NO_BROWSER =
      "Browser test skipped: no Chromium at "
          + CHROMIUM
          + " or no chromedriver at "
          + CHROMEDRIVER
          + " (install the Debian packages chromium and chromium-driver, or set"
          + " -Dglust.chromium and -Dglust.chromedriver)";

  @BeforeAll
  static void start() throws Exception {
    if (!BROWSER_PRESENT) {
      System.err.println("WebExplorerBrowserTest: " + NO_BROWSER);
      return;
    }
    glust = new RunningGlust();
    sample = new ExplorerSample();
    sample.send(glust);
    // metrics of the last half hour whose exemplar points at the sample trace
    new MetricSample(MetricSample.recentBase(), sample.traceId).write(glust);
    new ServiceWorkload().send(glust);
    secured =
        new RunningGlust(
            Map.of("glust.security.api-keys", INGEST_KEY + ":ingest," + QUERY_KEY + ":query"));

    profile = Files.createTempDirectory("glust-chromium-");
    // Both paths given: Selenium Manager has nothing to look up or download.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  /** Each test is reported skipped, with the reason, when there is no browser. */
  @BeforeEach
  void needsBrowser() {
    Assumptions.assumeTrue(BROWSER_PRESENT, NO_BROWSER);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (glust != null) {
      glust.close();
    }
    if (secured != null) {
      secured.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void open(String hashPath) {
    open(glust, hashPath);
  }

  private static void open(RunningGlust instance, String hashPath) {
    browser.get("http://127.0.0.1:" + instance.server.getPort() + "/" + hashPath);
  }

  /** Answers the explorer's prompts for an API key, as a user would. */
  private static void enterApiKey(String key) {
    Alert prompt = await(ExpectedConditions.alertIsPresent()::apply);
    prompt.sendKeys(key);
    prompt.accept();
  }

  private static <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, timeout).until(condition::apply);
  }

  private static <T> T await(Function<WebDriver, T> condition) {
    return await(Duration.ofSeconds(15), condition);
  }

  private static List<WebElement> all(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  private static void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }

  private static List<WebElement> waterfallRows() {
    return all("[data-testid=waterfall] .wf-row[data-span-id]");
  }

  private static WebElement row(String spanId) {
    return browser.findElement(
        By.cssSelector("[data-testid=waterfall] .wf-row[data-span-id='" + spanId + "']"));
  }

  @Test
  void theTraceViewShowsTheWaterfallTheSpanPanelAndTheCorrelatedLogs() throws Exception {
    open("#/traces/" + sample.traceId);
    await(d -> waterfallRows().size() == 4);

    // every span, depth-first, each indented under its parent
    List<WebElement> rows = waterfallRows();
    assertThat(rows)
        .extracting(r -> r.getAttribute("data-span-id"))
        .containsExactly(sample.root, sample.cart, sample.payment, sample.query);
    assertThat(rows)
        .extracting(r -> r.getAttribute("data-parent-span-id"))
        .containsExactly("", sample.root, sample.root, sample.payment);
    assertThat(rows)
        .extracting(r -> r.getAttribute("data-depth"))
        .containsExactly("0", "1", "1", "2");
    assertThat(row(sample.root).getText()).contains(ExplorerSample.ROOT_NAME, "250 ms");
    assertThat(row(sample.payment).getText()).contains("160 ms");
    // the failed span, and only it, is marked
    assertThat(rows)
        .extracting(r -> r.findElements(By.cssSelector(".error-mark")).size())
        .containsExactly(0, 0, 1, 0);
    assertThat(row(sample.payment).getAttribute("class")).contains("error");

    // a span's details: typed attributes and status
    row(sample.root).click();
    WebElement panel = await(d -> d.findElement(By.cssSelector("[data-testid=span-panel]")));
    await(d -> panel.isDisplayed());
    assertThat(panel.getText()).contains(ExplorerSample.ROOT_NAME);
    assertThat(attribute(panel, "http.status_code")).containsExactly("502", "int");

    // the correlated logs in time order; a click on one selects its span
    List<WebElement> logs = all("[data-testid=trace-logs] tr");
    assertThat(logs)
        .extracting(WebElement::getText)
        .satisfiesExactly(
            l -> assertThat(l).contains("checkout started"),
            l -> assertThat(l).contains("cart loaded"),
            l -> assertThat(l).contains("payment provider slow"),
            l -> assertThat(l).contains("card declined by acme"),
            l -> assertThat(l).contains("checkout failed"));
    logs.get(1).click();
    await(d -> row(sample.cart).getAttribute("class").contains("selected"));
    logs.get(3).click();
    await(d -> row(sample.payment).getAttribute("class").contains("selected"));
    assertThat(row(sample.cart).getAttribute("class")).doesNotContain("selected");
    await(d -> panel.getText().contains(ExplorerSample.FAILED_NAME));
    assertThat(attribute(panel, "payment.provider")).containsExactly("acme", "string");
    assertThat(panel.getText()).contains("ERROR", "card declined", "retry");
    screenshot("web-explorer-trace.png");

    // the deep link survives a reload
    browser.navigate().refresh();
    await(d -> waterfallRows().size() == 4);
  }

  @Test
  void traceQlInTheQueryBoxFindsTheTraceAndItsMatchedSpansAreHighlighted() throws Exception {
    open("#/traces?range=1h&service=checkout");
    WebElement box = await(d -> d.findElement(By.cssSelector("[data-testid=traceql]")));
    // the form's fields write the query they mean
    assertThat(box.getAttribute("value")).isEqualTo("{ resource.service.name = \"checkout\" }");
    WebElement errorsOnly = browser.findElement(By.cssSelector("input[name=errors]"));
    errorsOnly.click();
    await(d -> box.getAttribute("value").endsWith("&& status = error }"));
    errorsOnly.click();

    box.clear();
    box.sendKeys(
        "{ resource.service.name = \"checkout\" } >> { name = \""
            + ExplorerSample.FAILED_NAME
            + "\" && status = error }");
    box.submit();
    // the query is kept in the URL
    await(
        d ->
            java.net.URLDecoder.decode(
                    browser.getCurrentUrl(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("q={ resource.service.name = \"checkout\" } >>"));
    WebElement hit =
        await(
            d ->
                d.findElement(
                    By.cssSelector(
                        "[data-testid=trace-results] a[href^='#/traces/" + sample.traceId + "']")));
    assertThat(all("[data-testid=trace-results] tbody tr").get(0).getText()).contains("1 matched");
    hit.click();
    await(d -> waterfallRows().size() == 4);
    assertThat(waterfallRows())
        .extracting(r -> r.getAttribute("class").contains("matched"))
        .containsExactly(false, false, true, false); // root, cart, payment, query
    assertThat(browser.findElement(By.cssSelector("[data-testid=matched-count]")).getText())
        .contains("1 matched");

    // a refused construct is named, not answered with nothing
    open(
        "#/traces?range=1h&q="
            + java.net.URLEncoder.encode(
                "{ name = \"a\" } | select(span.x)", java.nio.charset.StandardCharsets.UTF_8));
    await(d -> !all(".message.error").isEmpty());
    assertThat(all(".message.error").get(0).getText()).contains("select()");
  }

  /** The value and type shown for a span attribute in the panel. */
  private static List<String> attribute(WebElement panel, String key) {
    return panel
        .findElement(By.xpath(".//table[@data-testid='span-attributes']//tr[th='" + key + "']"))
        .findElements(By.tagName("td"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void logSearchByTextShowsTheHistogramAndLeadsToTheTrace() throws Exception {
    open("#/logs?range=1h");
    await(d -> all("[data-testid=log-results] li.log").size() >= 5);
    await(d -> !all("[data-testid=log-histogram] rect.bar").isEmpty());
    assertThat(barTotal()).isGreaterThanOrEqualTo(5);
    screenshot("web-explorer-logs.png");

    WebElement text = browser.findElement(By.cssSelector("[data-testid=log-text]"));
    text.sendKeys("declined");
    browser.findElement(By.cssSelector("[data-testid=log-search] button[type=submit]")).click();
    await(d -> all("[data-testid=log-results] li.log").size() == 1);
    assertThat(all("[data-testid=log-results] li.log").get(0).getText())
        .contains("card declined by acme", "payments");
    await(d -> barTotal() == 1);
    // a click on the line opens the whole record as JSON
    all("[data-testid=log-results] li.log .body").get(0).click();
    WebElement json = await(d -> d.findElement(By.cssSelector("[data-testid=log-results] .json")));
    await(d -> json.isDisplayed());
    assertThat(json.getText()).contains("\"spanId\": \"" + sample.payment + "\"");

    browser.findElement(By.cssSelector("[data-testid=log-results] a.trace-link")).click();
    await(d -> waterfallRows().size() == 4);
    assertThat(browser.getCurrentUrl()).endsWith("#/traces/" + sample.traceId);
  }

  private static int barTotal() {
    return all("[data-testid=log-histogram] rect.bar").stream()
        .mapToInt(bar -> Integer.parseInt(bar.getAttribute("data-count")))
        .sum();
  }

  @Test
  void liveTailShowsARecordSentAfterThePageOpenedWithinTwoSeconds() throws Exception {
    open("#/logs?range=15m&service=live-tail");
    await(d -> !all("[data-testid=log-results], .message.empty").isEmpty());
    browser.findElement(By.cssSelector("[data-testid=live-tail]")).click();
    await(
        d ->
            "live"
                .equals(
                    d.findElement(By.cssSelector("[data-testid=live-status]"))
                        .getAttribute("data-state")));

    String text = "arrived after the page opened " + ExplorerSample.randomHex(4);
    long sent = System.nanoTime();
    ExplorerSample.sendLog(glust, "live-tail", 13, text);
    await(
        Duration.ofSeconds(2),
        d ->
            all("[data-testid=log-results] li.log").stream()
                .anyMatch(li -> li.getText().contains(text)));
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void liveTailWorksWithApiKeysOn() throws Exception {
    open(secured, "#/logs?range=15m&service=secured-tail");
    enterApiKey(QUERY_KEY);
    await(d -> !all("[data-testid=log-results], .message.empty").isEmpty());
    browser.findElement(By.cssSelector("[data-testid=live-tail]")).click();
    await(
        d ->
            "live"
                .equals(
                    d.findElement(By.cssSelector("[data-testid=live-status]"))
                        .getAttribute("data-state")));

    String text = "tailed with a key " + ExplorerSample.randomHex(4);
    ExplorerSample.sendLog(secured, "secured-tail", 9, text, "X-API-Key", INGEST_KEY);
    await(
        Duration.ofSeconds(5),
        d ->
            all("[data-testid=log-results] li.log").stream()
                .anyMatch(li -> li.getText().contains(text)));
    // the key went in a header: no URL the browser fetched carries it
    Object urls =
        ((JavascriptExecutor) browser)
            .executeScript("return performance.getEntriesByType('resource').map(e => e.name);");
    assertThat(String.valueOf(urls)).doesNotContain(QUERY_KEY);
  }

  @Test
  void theHeaderShowsTheTenantAndAnotherTenantCanBePicked() throws Exception {
    String text = "only for the picked team " + ExplorerSample.randomHex(4);
    ExplorerSample.sendLog(glust, "tenant-pick", 9, text, "X-Scope-OrgID", "picked-team");
    open("#/logs?range=15m&service=tenant-pick");
    WebElement picker =
        await(d -> d.findElement(By.cssSelector("#tenant #tenant-picker")).isDisplayed())
            ? browser.findElement(By.cssSelector("#tenant #tenant-picker"))
            : null;
    try {
      assertThat(picker.getAttribute("value")).isEqualTo("default");
      await(d -> !all(".message.empty").isEmpty()); // the default tenant has no such record
      assertThat(browser.findElement(By.id("main")).getText()).doesNotContain(text);

      picker.clear();
      picker.sendKeys("picked-team" + Keys.ENTER);
      await(
          d ->
              all("[data-testid=log-results] li.log").stream()
                  .anyMatch(li -> li.getText().contains(text)));
      screenshot("tenant-picker.png");
    } finally {
      ((JavascriptExecutor) browser).executeScript("sessionStorage.removeItem('glust.tenant');");
    }
  }

  @Test
  void eachServiceOfATraceHasItsOwnColour() throws Exception {
    // "checkout" and "shipping" got the same colour from a hash of the name
    List<String> services =
        List.of("frontend", "checkout", "cart", "payments", "shipping", "email");
    ExplorerSample chain = new ExplorerSample();
    chain.sendChain(glust, services);
    open("#/traces/" + chain.traceId);
    await(d -> waterfallRows().size() == services.size());

    List<String> bars =
        all("[data-testid=waterfall] .wf-bar").stream()
            .map(bar -> bar.getCssValue("background-color"))
            .toList();
    assertThat(bars).hasSize(6).doesNotHaveDuplicates();
    List<String> legend =
        all(".summary .legend-item .dot-inline").stream()
            .map(dot -> dot.getCssValue("background-color"))
            .toList();
    assertThat(legend).containsExactlyElementsOf(bars);
  }

  @Test
  void anEmptyRangeOffersTheHourUpToTheNewestRecords() {
    String past = "range=custom&from=2020-01-01T00:00:00&to=2020-01-01T01:00:00";
    open("#/traces?" + past);
    WebElement hint = await(d -> d.findElement(By.cssSelector("[data-testid=newest-hint]")));
    assertThat(hint.getText()).contains("no span at all in this time range", "the newest is from");
    hint.findElement(By.tagName("a")).click();
    await(d -> !all("[data-testid=trace-results] tbody tr").isEmpty());
    assertThat(browser.getCurrentUrl()).contains("range=custom").doesNotContain("2020-01-01");
    assertThat(all("[data-testid=newest-hint]")).isEmpty();

    open("#/logs?service=payments&" + past);
    hint = await(d -> d.findElement(By.cssSelector("[data-testid=newest-hint]")));
    assertThat(hint.getText()).contains("no log at all in this time range");
    hint.findElement(By.tagName("a")).click();
    await(d -> !all("[data-testid=log-results] li.log").isEmpty());
    // the filter stays: only the service's records
    assertThat(all("[data-testid=log-results] li.log"))
        .allSatisfy(log -> assertThat(log.getText()).contains("payments"));
  }

  @Test
  void aRangeWithRecordsThatTheFiltersExcludeGetsNoHint() throws Exception {
    open("#/traces?service=no-such-service&range=1h");
    await(d -> !all(".results .message.empty").isEmpty());
    Thread.sleep(1000); // the hint would come from one more, quick, request
    assertThat(all("[data-testid=newest-hint]")).isEmpty();
  }

  /** Runs steps with the explorer reading another tenant (as the header's picker would). */
  private static void asTenant(String tenant, BrowserSteps steps) throws Exception {
    open("#/services?range=15m"); // sessionStorage belongs to the page's origin
    ((JavascriptExecutor) browser)
        .executeScript("sessionStorage.setItem('glust.tenant', arguments[0]);", tenant);
    // a new document, not a hash change: the header reads the tenant again
    browser.get("about:blank");
    try {
      steps.run();
    } finally {
      ((JavascriptExecutor) browser).executeScript("sessionStorage.removeItem('glust.tenant');");
      browser.get("about:blank");
    }
  }

  @FunctionalInterface
  private interface BrowserSteps {
    void run() throws Exception;
  }

  /**
   * Reads until the page shows what is expected, reloading it now and then: rollups and edges are
   * computed as the spans arrive, not necessarily before the export is answered.
   */
  private static <T> T awaitReloading(Duration timeout, Supplier<T> read, Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReload = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    T last = read.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      if (System.nanoTime() > nextReload) {
        browser.navigate().refresh();
        nextReload = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      last = read.get();
    }
    assertThat(last).as("what the page shows after %s", timeout).matches(done);
    return last;
  }

  /** Read in one script (the page replaces its tables while it loads: no stale elements). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> read(String script) {
    return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript(script);
  }

  /** A performance table's rows: data-* of the row, data-value of each stat cell, and the text. */
  private static Map<String, Map<String, Object>> statRows(String table, String key) {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    for (Map<String, Object> row :
        read(
            "return [...document.querySelectorAll('[data-testid="
                + table
                + "] tbody tr')].map(r => ({...r.dataset, ...Object.fromEntries("
                + "[...r.querySelectorAll('td[data-stat]')].map(td => [td.dataset.stat, td.dataset.value])),"
                + " text: r.innerText.replace(/\\s+/g, ' ').trim()}));")) {
      rows.put((String) row.get(key), row);
    }
    return rows;
  }

  private static double number(Map<String, Object> row, String stat) {
    return Double.parseDouble((String) row.get(stat));
  }

  private static boolean calls(Map<String, Map<String, Object>> rows, String name, int expected) {
    return rows.containsKey(name) && number(rows.get(name), "calls") == expected;
  }

  /**
   * Calls and errors exactly, the rate over the hour shown, quantiles within the histogram's 2.2 %.
   */
  private static void assertStats(
      Map<String, Object> row, int calls, int errors, double p50, double p95, double p99) {
    assertThat(number(row, "calls")).isEqualTo(calls);
    assertThat(number(row, "errorRatio")).isEqualTo((double) errors / calls);
    assertThat((String) row.get("text")).contains(errors == 0 ? "0.0%" : "25.0%");
    assertThat(number(row, "ratePerSecond")).isCloseTo(calls / 3600.0, withinPercentage(3));
    assertThat(number(row, "p50Ms")).isCloseTo(p50, withinPercentage(2.2));
    assertThat(number(row, "p95Ms")).isCloseTo(p95, withinPercentage(2.2));
    assertThat(number(row, "p99Ms")).isCloseTo(p99, withinPercentage(2.2));
  }

  /** A service that sent logs and no span is listed too, with its log records and error share. */
  @Test
  void aServiceThatOnlyLogsIsListedWithItsLogs() throws Exception {
    String tenant = "ledger";
    JsonArray logs = new JsonArray();
    long now = ExplorerSample.nowNanos();
    for (int i = 0; i < 4; i++) {
      JsonObject log = new JsonObject();
      log.addProperty("timeUnixNano", Long.toString(now - i * 1_000_000L));
      log.addProperty("severityNumber", i == 0 ? 17 : 9); // one ERROR
      JsonObject body = new JsonObject();
      body.addProperty("stringValue", "nightly batch step " + i);
      log.add("body", body);
      logs.add(log);
    }
    byte[] request =
        OtlpJsonBodies.envelope("resourceLogs", "scopeLogs", "logRecords", logs, "nightly-batch")
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    assertThat(
            glust
                .postOtlp("/v1/logs", "application/json", request, "X-Scope-OrgID", tenant)
                .statusCode())
        .isEqualTo(200);
    asTenant(
        tenant,
        () -> {
          open("#/services?range=1h");
          String row = "[data-testid=service-performance] tr[data-service=nightly-batch] ";
          await(d -> !all(row + "td[data-stat=logCount]").isEmpty());
          assertThat(browser.findElement(By.cssSelector(row + "td[data-stat=logCount]")).getText())
              .isEqualTo("4");
          assertThat(
                  browser
                      .findElement(By.cssSelector(row + "td[data-stat=errorLogRatio]"))
                      .getText())
              .isEqualTo("25.0%");
          assertThat(browser.findElement(By.cssSelector(row + "td[data-stat=calls]")).getText())
              .isEqualTo("0");
        });
  }

  private static List<String> operationOrder() {
    return List.copyOf(statRows("operation-performance", "operation").keySet());
  }

  @Test
  void theServicesPageShowsRatesErrorsAndLatenciesAndSortsTheOperations() throws Exception {
    asTenant(
        ServiceWorkload.TENANT,
        () -> {
          open("#/services?range=1h");
          Map<String, Map<String, Object>> services =
              awaitReloading(
                  Duration.ofSeconds(60),
                  () -> statRows("service-performance", "service"),
                  rows ->
                      calls(
                              rows,
                              "frontend",
                              ServiceWorkload.CART_CALLS + ServiceWorkload.PAYMENT_CALLS)
                          && calls(rows, "cart", ServiceWorkload.CART_CALLS)
                          && calls(rows, "payments", ServiceWorkload.PAYMENT_CALLS));
          assertThat(services.keySet()).containsExactly("cart", "frontend", "payments");
          // 30 calls of 100 ms and 20 of 200 ms
          assertStats(services.get("frontend"), 50, 0, 100, 200, 200);
          assertStats(services.get("cart"), 30, 0, 20, 20, 20);
          assertStats(services.get("payments"), 20, ServiceWorkload.PAYMENT_ERRORS, 50, 50, 50);
          // a chart per service for rate, errors and p95
          assertThat(all("[data-testid=service-performance] tbody tr svg.spark")).hasSize(9);

          // a row selects the service: its operations, by impact (latency × rate) first
          browser
              .findElement(
                  By.cssSelector(
                      "[data-testid=service-performance] tr[data-service=frontend] td[data-stat=calls]"))
              .click();
          await(d -> operationOrder().size() == 2);
          assertThat(operationOrder())
              .containsExactly(ServiceWorkload.CHECKOUT, ServiceWorkload.PRODUCTS);
          Map<String, Map<String, Object>> operations =
              statRows("operation-performance", "operation");
          Map<String, Object> checkout = operations.get(ServiceWorkload.CHECKOUT);
          assertStats(checkout, 20, 0, 200, 200, 200);
          assertThat((String) checkout.get("text"))
              .startsWith(ServiceWorkload.CHECKOUT + " server ");
          // busy milliseconds per second: 20 calls of 200 ms in an hour
          assertThat(number(checkout, "impact")).isCloseTo(20 * 200 / 3600.0, withinPercentage(3));
          assertStats(operations.get(ServiceWorkload.PRODUCTS), 30, 0, 100, 100, 100);
          assertThat(browser.getCurrentUrl()).contains("service=frontend");
          screenshot("web-explorer-services.png");

          // sortable by any column, the choice kept in the URL
          browser.findElement(By.cssSelector("button.sort[data-sort=calls]")).click();
          await(d -> operationOrder().get(0).equals(ServiceWorkload.PRODUCTS));
          browser.findElement(By.cssSelector("button.sort[data-sort=calls]")).click();
          await(d -> operationOrder().get(0).equals(ServiceWorkload.CHECKOUT));
          assertThat(browser.getCurrentUrl()).contains("sort=calls", "order=asc");
          browser.findElement(By.cssSelector("button.sort[data-sort=name]")).click();
          await(d -> operationOrder().get(0).equals(ServiceWorkload.PRODUCTS));
          browser.navigate().refresh();
          await(
              d ->
                  operationOrder()
                      .equals(List.of(ServiceWorkload.PRODUCTS, ServiceWorkload.CHECKOUT)));
          assertThat(
                  browser
                      .findElement(By.cssSelector("[data-testid=service-performance] tr.selected"))
                      .getAttribute("data-service"))
              .isEqualTo("frontend");

          // an operation opens the trace search for it
          browser.findElement(By.linkText(ServiceWorkload.CHECKOUT)).click();
          await(d -> all("[data-testid=trace-results] tbody tr").size() == 20);
          assertThat(browser.findElement(By.name("service")).getAttribute("value"))
              .isEqualTo("frontend");
          assertThat(browser.findElement(By.name("operation")).getAttribute("value"))
              .isEqualTo(ServiceWorkload.CHECKOUT);

          // and a service's name opens its traces: the failed charges among them
          open("#/services?range=1h");
          await(
              d -> !all("[data-testid=service-performance] a[href*='service=payments']").isEmpty());
          browser.findElement(By.linkText("payments")).click();
          await(d -> all("[data-testid=trace-results] tbody tr").size() == 20);
          assertThat(all("[data-testid=trace-results] tbody tr.has-error"))
              .hasSize(ServiceWorkload.PAYMENT_ERRORS);
          // every page's footer names the running version
          await(
              d ->
                  d.findElement(By.id("version"))
                      .getText()
                      .equals("Glust " + GlustVersion.current()));
        });
  }

  /**
   * The map's nodes and edges with what they carry, read in one script; an edge's text is its
   * label's (drawn over all lines, apart from the edge).
   */
  private static List<Map<String, Object>> mapElements(String selector) {
    return read(
        "const map = document.querySelector('[data-testid=service-map]');"
            + "if (!map) return [];" // still loading
            + "return [...map.querySelectorAll('"
            + selector
            + "')].map(g => { const c = g.querySelector('circle');"
            + " const p = g.querySelector('path');"
            + " const texts = g.dataset.child ? [...map.querySelectorAll('text.edge-label')]"
            + "   .filter(t => t.dataset.parent === g.dataset.parent && t.dataset.child === g.dataset.child)"
            + "   : [...g.querySelectorAll('text')];"
            + " return {...g.dataset, cls: g.getAttribute('class'),"
            + " cx: c ? Number(c.getAttribute('cx')) : null,"
            + " marker: p ? p.getAttribute('marker-end') : null,"
            + " stroke: p ? getComputedStyle(p).stroke : null,"
            + " text: texts.map(t => t.textContent).join(' | ')}; });");
  }

  private static double centre(Map<String, Object> node) {
    return ((Number) node.get("cx")).doubleValue();
  }

  @Test
  void theServiceMapDrawsWhoCallsWhomWithRatesAndErrors() throws Exception {
    asTenant(
        ServiceWorkload.TENANT,
        () -> {
          open("#/map?range=1h");
          awaitReloading(
              Duration.ofSeconds(90),
              () -> mapElements("g.edge"),
              edges ->
                  edges.stream().mapToInt(e -> Integer.parseInt((String) e.get("calls"))).sum()
                      == ServiceWorkload.CART_CALLS + ServiceWorkload.PAYMENT_CALLS);
          Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
          mapElements("g.node").forEach(n -> nodes.put((String) n.get("service"), n));
          assertThat(nodes.keySet()).containsExactly("cart", "frontend", "payments");
          assertThat(nodes.values())
              .extracting(n -> n.get("calls"), n -> n.get("errors"))
              .containsExactly(tuple("30", "0"), tuple("50", "0"), tuple("20", "5"));
          // sized by rate; the caller in the layer before the services it calls
          double frontend = Double.parseDouble((String) nodes.get("frontend").get("radius"));
          double cart = Double.parseDouble((String) nodes.get("cart").get("radius"));
          double payments = Double.parseDouble((String) nodes.get("payments").get("radius"));
          assertThat(frontend).isGreaterThan(cart);
          assertThat(cart).isGreaterThan(payments);
          assertThat(centre(nodes.get("frontend"))).isLessThan(centre(nodes.get("cart")));
          assertThat(centre(nodes.get("cart"))).isEqualTo(centre(nodes.get("payments")));

          List<Map<String, Object>> edges = mapElements("g.edge");
          assertThat(edges)
              .extracting(
                  e -> e.get("parent"),
                  e -> e.get("child"),
                  e -> e.get("calls"),
                  e -> e.get("errors"),
                  e -> e.get("cls"),
                  e -> e.get("marker"))
              .containsExactly(
                  tuple("frontend", "cart", "30", "0", "edge", "url(#map-arrow)"),
                  tuple("frontend", "payments", "20", "5", "edge error", "url(#map-arrow-error)"));
          // labelled with rate and error %, the failing edge in red
          assertThat(Double.parseDouble((String) edges.get(0).get("rate")))
              .isCloseTo(ServiceWorkload.CART_CALLS / 3600.0, withinPercentage(3));
          // three significant digits, a trailing zero dropped (the range's length moves the rate)
          assertThat((String) edges.get(0).get("text")).matches("0\\.008\\d\\d?/s · 0\\.0%");
          assertThat((String) edges.get(1).get("text")).matches("0\\.005\\d\\d?/s · 25\\.0%");
          assertThat((String) edges.get(1).get("stroke")).isEqualTo("rgb(217, 45, 32)");
          assertThat((String) edges.get(0).get("stroke")).isNotEqualTo("rgb(217, 45, 32)");
          assertThat(all("[data-testid=dependency-edges] tbody tr")).hasSize(2);
          screenshot("web-explorer-service-map.png");

          // a node opens the trace search for its service
          browser
              .findElement(
                  By.cssSelector("[data-testid=service-map] g.node[data-service=payments] circle"))
              .click();
          await(d -> all("[data-testid=trace-results] tbody tr").size() == 20);
          assertThat(browser.findElement(By.name("service")).getAttribute("value"))
              .isEqualTo("payments");
          assertThat(browser.getCurrentUrl()).contains("range=1h");
        });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theMapLayoutIsLayeredAndTheSameForAnyInputOrderCyclesIncluded() {
    open("#/map?range=15m");
    Object result =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const edges = [['fe','checkout'],['fe','cart'],['checkout','payments'],"
                    + "['checkout','cart'],['checkout','shipping'],['payments','db'],['cart','db'],"
                    + "['shipping','email'],['email','checkout'],['db','db']]"
                    + ".map(([parent, child]) => ({parent, child}));"
                    + "import('/ui/graph-layout.js').then(m => {"
                    + " const a = m.layeredLayout(['lonely'], edges);"
                    + " const b = m.layeredLayout(['lonely'], [...edges].reverse());"
                    + " done({a: a.layers, b: b.layers,"
                    + "  back: [...a.backEdges].map(k => k.replace('\u0000', '->'))});"
                    + "}).catch(e => done({error: String(e)}));");
    Map<String, Object> layout = (Map<String, Object>) result;
    // longest-path layers; the cycle checkout → shipping → email → checkout broken at its last
    // edge, the self-call ignored; the same layers whatever the order of the edges
    assertThat(layout.get("a"))
        .isEqualTo(
            List.of(
                List.of("fe", "lonely"),
                List.of("checkout"),
                List.of("cart", "payments", "shipping"),
                List.of("db", "email")));
    assertThat(layout.get("b")).isEqualTo(layout.get("a"));
    assertThat(layout.get("back")).isEqualTo(List.of("email->checkout"));
  }

  @Test
  void theServicesPageAndTheMapSayWhyTheyAreEmpty() {
    String past = "range=custom&from=2020-01-01T00:00:00&to=2020-01-01T01:00:00";
    open("#/services?" + past);
    await(d -> !all(".results .message.empty").isEmpty());
    assertThat(all(".results .message.empty").get(0).getText())
        .contains("No spans or logs in this time range");
    WebElement hint = await(d -> d.findElement(By.cssSelector("[data-testid=newest-hint]")));
    assertThat(hint.findElement(By.tagName("a")).getAttribute("href")).contains("#/services?");

    open("#/map?" + past);
    await(d -> !all(".chart-box .message.empty").isEmpty());
    assertThat(all(".chart-box .message.empty").get(0).getText())
        .contains("No spans in this time range");
    hint = await(d -> d.findElement(By.cssSelector("[data-testid=newest-hint]")));
    assertThat(hint.findElement(By.tagName("a")).getAttribute("href")).contains("#/map?");

    open("#/services?range=1h&service=no-such-service");
    await(
        d ->
            all("[data-testid=operations] .message.empty").stream()
                .anyMatch(m -> m.getText().contains("no-such-service has no spans")));
  }

  /** Read in one script: the table is replaced while a query runs (no stale elements). */
  @SuppressWarnings("unchecked")
  private static List<String> legendRows() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('[data-testid=metric-legend] tbody tr')]"
                    + ".map(r => r.innerText.replace(/\\s+/g, ' ').trim());");
  }

  @Test
  void theMetricsPageChartsGroupedSeriesAndExemplarsLeadToTheTrace() throws Exception {
    open("#/metrics?metric=http.server.requests&by=http.request.method&range=1h");
    await(d -> all("[data-testid=metric-chart] path.series-line").size() == 2);
    // a counter: rate by default, one line per method, 1/s and 0.5/s across the reset; the
    // default step over an hour is 30 s, and the first bucket has only two increases (its first
    // point has no earlier one), two thirds of the rate
    assertThat(
            new org.openqa.selenium.support.ui.Select(
                    browser.findElement(By.cssSelector("select[name=agg]")))
                .getFirstSelectedOption()
                .getText())
        .isEqualTo("rate");
    assertThat(all("[data-testid=metric-chart] path.series-line"))
        .extracting(l -> l.getAttribute("data-series"))
        .containsExactly("GET", "POST");
    assertThat(legendRows())
        .satisfiesExactly(
            r -> assertThat(r).isEqualTo("http.request.method=GET 1 1 0.667 1 1"),
            r -> assertThat(r).isEqualTo("http.request.method=POST 1 0.5 0.333 0.5 0"));
    screenshot("web-explorer-metrics.png");

    // the histogram: p95 by default, of a uniform distribution over (0, 100]
    new org.openqa.selenium.support.ui.Select(
            browser.findElement(By.cssSelector("select[name=metric]")))
        .selectByVisibleText("http.server.duration (histogram)");
    await(d -> legendRows().size() == 1 && legendRows().get(0).startsWith("http.server.duration"));
    assertThat(legendRows().get(0)).startsWith("http.server.duration 1 95 95 95");
    assertThat(browser.getCurrentUrl()).contains("metric=http.server.duration", "agg=p95");

    // a label filter and the exemplar dot that opens its trace
    open("#/metrics?metric=http.server.requests&attr=http.request.method%3DGET&range=1h");
    await(d -> all("[data-testid=metric-chart] .exemplar").size() == 1);
    assertThat(legendRows()).containsExactly("http.server.requests 1 1 0.667 1 1");
    WebElement exemplar = all("[data-testid=metric-chart] .exemplar").get(0);
    assertThat(exemplar.getAttribute("data-trace-id")).isEqualTo(sample.traceId);
    exemplar.click();
    await(d -> waterfallRows().size() == 4);
    assertThat(browser.getCurrentUrl()).endsWith("#/traces/" + sample.traceId);
  }

  private static long sidewaysOverflow() {
    return (Long)
        ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
  }

  @Test
  void aNarrowWindowNeedsNoSidewaysScrolling() throws IOException {
    Dimension wide = browser.manage().window().getSize();
    try {
      browser.manage().window().setSize(new Dimension(420, 900));
      open("#/traces/" + sample.traceId);
      await(d -> waterfallRows().size() == 4);
      row(sample.payment).click();
      await(d -> d.findElement(By.cssSelector("[data-testid=span-panel]")).isDisplayed());
      screenshot("web-explorer-narrow.png");
      assertThat(sidewaysOverflow()).isLessThanOrEqualTo(0);

      // the wide tables scroll in their box, the map shrinks
      open("#/services?range=1h&service=payments");
      await(d -> !all("[data-testid=operation-performance] tbody tr").isEmpty());
      assertThat(sidewaysOverflow()).isLessThanOrEqualTo(0);
      open("#/map?range=1h");
      await(d -> !all("[data-testid=service-map] g.node").isEmpty());
      assertThat(sidewaysOverflow()).isLessThanOrEqualTo(0);
    } finally {
      browser.manage().window().setSize(wide);
    }
  }
}
