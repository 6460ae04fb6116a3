package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

  @Test
  void theServicesPageShowsRatesAndErrorRatios() {
    open("#/services");
    await(d -> all("[data-testid=services] tbody tr").size() >= 3);
    WebElement payments =
        browser.findElement(
            By.xpath("//table[@data-testid='services']//tr[td[contains(., 'payments')]]"));
    // 2 spans, one failed; 2 log records, one ERROR
    assertThat(payments.getText()).contains("50.0%");
    // every page's footer names the running version
    await(d -> d.findElement(By.id("version")).getText().equals("Glust " + GlustVersion.current()));
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
      long overflow =
          (Long)
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "return document.documentElement.scrollWidth - window.innerWidth;");
      assertThat(overflow).isLessThanOrEqualTo(0);
    } finally {
      browser.manage().window().setSize(wide);
    }
  }
}
