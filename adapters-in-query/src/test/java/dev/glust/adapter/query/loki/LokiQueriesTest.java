package dev.glust.adapter.query.loki;

import static dev.glust.adapter.query.loki.KnownLogs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LogQL queries over five known records, answered in Loki's shapes. */
class LokiQueriesTest {
  private static final long SECOND = LokiTimes.SECOND;
  private static final TenantId TENANT = new TenantId("acme");
  private static final TimeRange MINUTE = new TimeRange(T0, T0 + 60 * SECOND);

  private final KnownLogs logs = new KnownLogs();
  private final LokiQueries queries =
      new LokiQueries(logs, logs.volumes(), logs.services(), JsonMapper.createDefault());

  private List<String> lines(String query, int limit, boolean forward) {
    Map<String, Object> data = streams(query, limit, forward, false);
    List<String> out = new ArrayList<>();
    for (Object stream : (List<?>) data.get("result")) {
      for (Object value : (List<?>) ((Map<?, ?>) stream).get("values")) {
        out.add((String) ((List<?>) value).get(1));
      }
    }
    return out;
  }

  private Map<String, Object> streams(
      String query, int limit, boolean forward, boolean categorize) {
    return queries.queryRange(
        TENANT,
        LogQlParser.parse(query),
        new LokiQueries.LogRequest(MINUTE, limit, forward, categorize),
        SECOND,
        new QueryStats(LokiQueries.MAX_SCANNED_RECORDS));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "{service_name=\"checkout\"}                       => 3",
        "{service_name=\"checkout\"} |= \"order\"          => 1",
        "{service_name=~\".+\"} |= \"order\"               => 1",
        "{service_name=~\".+\"} |~ \"(?i)order\"           => 2",
        "{service_name=\"checkout\"} != \"payment\"        => 2",
        "{service_name=\"checkout\"} !~ \"pay|time\"       => 1",
        "{service_name=~\"check.*\", level=\"error\"}      => 2",
        "{level=\"error\"}                                 => 2",
        "{level=~\"warn|info\"}                            => 3",
        "{severity_text=\"WARN\"}                          => 1",
        "{deployment_environment=\"prod\"}                 => 5",
        "{service_name!=\"checkout\", level=~\".+\"}  => 2",
        "{trace_id=\"" + KnownLogs.TRACE_A + "\"}          => 1",
        "{trace_id=\"not-hex\"}                            => 0",
        "{service_name=\"checkout\"} | json | status >= 500 => 1",
        "{service_name=\"checkout\"} | json | user_id=\"u1\" => 1",
        "{service_name=\"checkout\"} | json | __error__=\"\" => 1",
        "{service_name=\"payments\"} | logfmt | duration_ms > 1000 and msg=\"slow call\" => 1",
        "{service_name=\"payments\"} | logfmt | level_extracted=\"warn\" => 1",
        "{service_name=~\".+\"} | http_route=\"/cart\"     => 1",
        "{service_name=~\".+\"} | level=\"error\" or level=\"warn\" => 3",
      })
  void logQueriesFindTheKnownLines(String query, int expected) {
    assertThat(lines(query.strip(), 100, false)).hasSize(expected);
  }

  @Test
  void backwardIsNewestFirstAndForwardOldestFirstEachUpToTheLimit() {
    assertThat(lines("{deployment_environment=\"prod\"}", 2, false))
        .containsExactlyInAnyOrder(
            "Order placed id=2", "level=warn msg=\"slow call\" duration_ms=1200");
    assertThat(lines("{deployment_environment=\"prod\"}", 2, true))
        .containsExactlyInAnyOrder("order placed id=1", "payment failed: card declined");
    Map<String, Object> data =
        streams("{service_name=\"checkout\", level=\"error\"}", 10, false, false);
    List<Object> values =
        new ArrayList<>(
            (List<?>) ((Map<?, ?>) ((List<?>) data.get("result")).get(0)).get("values"));
    assertThat(values)
        .containsExactly(
            List.of(
                Long.toString(T0 + 30 * SECOND),
                "{\"msg\":\"timeout\",\"status\":504,\"user\":{\"id\":\"u1\"}}"),
            List.of(Long.toString(T0 + 20 * SECOND), "payment failed: card declined"));
  }

  @Test
  void streamsCarryIndexedLabelsAndCategorizedMetadata() {
    Map<String, Object> data =
        streams("{trace_id=\"" + KnownLogs.TRACE_A + "\"} | logfmt", 10, false, true);
    assertThat(data.get("encodingFlags")).isEqualTo(List.of("categorize-labels"));
    Map<?, ?> stream = (Map<?, ?>) ((List<?>) data.get("result")).get(0);
    assertThat(stream.get("stream"))
        .isEqualTo(
            Map.of(
                "service_name", "checkout",
                "level", "info",
                "severity_text", "INFO",
                "deployment_environment", "prod"));
    List<?> value = (List<?>) ((List<?>) stream.get("values")).get(0);
    assertThat(value).hasSize(3);
    assertThat(value.get(2))
        .isEqualTo(
            Map.of(
                "structuredMetadata",
                Map.of(
                    "trace_id",
                    KnownLogs.TRACE_A,
                    "span_id",
                    KnownLogs.SPAN_A,
                    "http_route",
                    "/cart"),
                "parsed",
                Map.of("order", "", "placed", "", "id", "1")));

    Map<String, Object> plain =
        streams("{trace_id=\"" + KnownLogs.TRACE_A + "\"}", 10, false, false);
    assertThat(plain).doesNotContainKey("encodingFlags");
    Map<?, ?> plainStream = (Map<?, ?>) ((List<?>) plain.get("result")).get(0);
    assertThat(((Map<?, ?>) plainStream.get("stream")).containsKey("trace_id")).isFalse();
    assertThat((List<?>) ((List<?>) plainStream.get("values")).get(0)).hasSize(2);
  }

  private Map<String, Object> instant(String query, long time) {
    return queries.queryInstant(
        TENANT,
        LogQlParser.parse(query),
        new LokiQueries.LogRequest(new TimeRange(time, time), 100, false, false),
        new QueryStats(LokiQueries.MAX_SCANNED_RECORDS));
  }

  /** {metric labels as text → value} of an instant query's vector. */
  private Map<String, String> vector(String query) {
    Map<String, Object> data = instant(query, T0 + 60 * SECOND);
    assertThat(data.get("resultType")).isEqualTo("vector");
    Map<String, String> out = new java.util.TreeMap<>();
    for (Object sample : (List<?>) data.get("result")) {
      Map<?, ?> s = (Map<?, ?>) sample;
      List<?> value = (List<?>) s.get("value");
      assertThat(value.get(0)).hasToString("1700000060");
      out.put(s.get("metric").toString(), (String) value.get(1));
    }
    return out;
  }

  @Test
  void metricQueriesCountBytesRatesAndAggregate() {
    assertThat(vector("vector(1)+vector(1)")).containsExactly(Map.entry("{}", "2"));
    assertThat(vector("sum by (level) (count_over_time({service_name=~\".+\"}[1m]))"))
        .containsExactly(
            Map.entry("{level=error}", "2"),
            Map.entry("{level=info}", "2"),
            Map.entry("{level=warn}", "1"));
    assertThat(
            vector(
                "sum by (level, detected_level) (count_over_time({service_name=\"checkout\"}"
                    + " | drop __error__ [1m]))"))
        .containsExactly(Map.entry("{level=error}", "2"), Map.entry("{level=info}", "1"));
    assertThat(vector("sum(rate({service_name=\"checkout\"}[1m]))"))
        .containsExactly(Map.entry("{}", "0.05"));
    assertThat(vector("count(count_over_time({service_name=~\".+\"}[1m]))"))
        .containsExactly(Map.entry("{}", "4"));
    assertThat(
            vector("topk(1, sum by (service_name) (count_over_time({service_name=~\".+\"}[1m])))"))
        .containsExactly(Map.entry("{service_name=checkout}", "3"));
    assertThat(
            vector(
                "bottomk(1, sum by (service_name) (count_over_time({service_name=~\".+\"}[1m])))"))
        .containsExactly(Map.entry("{service_name=payments}", "2"));
    assertThat(vector("sum(bytes_over_time({service_name=\"payments\"}[1m]))"))
        .containsExactly(Map.entry("{}", Integer.toString(43 + 17)));
    assertThat(vector("max(count_over_time({service_name=~\".+\"}[1m])) * 10 - 1"))
        .containsExactly(Map.entry("{}", "19"));
    assertThat(vector("avg(count_over_time({service_name=~\".+\"}[1m]))"))
        .containsExactly(Map.entry("{}", "1.25"));
    assertThat(
            vector(
                "sum without (level, severity_text, deployment_environment)"
                    + " (count_over_time({service_name=~\".+\"}[1m]))"))
        .containsExactly(
            Map.entry("{service_name=checkout}", "3"), Map.entry("{service_name=payments}", "2"));
    assertThat(vector("sum by (status) (count_over_time({service_name=\"checkout\"} | json [1m]))"))
        .containsExactly(Map.entry("{status=504}", "1"), Map.entry("{}", "2"));
  }

  @Test
  void grafanasLogVolumeIsCountedByTheStorageAndAgreesWithTheScan() {
    String[][] pairs = {
      {
        "sum by (level) (count_over_time({service_name=\"checkout\"}[1m]))",
        "sum by (level) (count_over_time({service_name=\"checkout\"} |~ \".*\" [1m]))"
      },
      {
        "sum(rate({service_name=\"checkout\", level=\"error\"} | drop __error__ [1m]))",
        "sum(rate({service_name=\"checkout\", level=\"error\"} |~ \"\" [1m]))"
      },
      {
        "sum by (level) (count_over_time({level=\"nonsense\"}[1m]))",
        "sum by (level) (count_over_time({level=\"nonsense\"} |~ \"\" [1m]))"
      },
    };
    for (String[] pair : pairs) {
      int reads = logs.volumeReads;
      int searches = logs.searches;
      Map<String, String> counted = vector(pair[0]);
      assertThat(logs.searches).as(pair[0]).isEqualTo(searches);
      Map<String, String> scanned = vector(pair[1]);
      assertThat(counted).as(pair[0]).isEqualTo(scanned);
      assertThat(logs.volumeReads - reads).as(pair[0]).isLessThanOrEqualTo(1);
    }
    assertThat(vector(pairs[0][0]))
        .containsExactly(Map.entry("{level=error}", "2"), Map.entry("{level=info}", "1"));

    // a range query whose windows tile the range: one storage count for every step
    int reads = logs.volumeReads;
    String volume = "sum by (level) (count_over_time({service_name=\"checkout\"}[10s]))";
    String scan = "sum by (level) (count_over_time({service_name=\"checkout\"} |~ \"\" [10s]))";
    assertThat(matrix(volume, 10 * SECOND)).isEqualTo(matrix(scan, 10 * SECOND));
    assertThat(logs.volumeReads).isEqualTo(reads + 1);
    assertThat(matrix(volume, 10 * SECOND).toString())
        .isEqualTo(
            "[{metric={level=error}, values=[[1700000020, 1], [1700000030, 1]]},"
                + " {metric={level=info}, values=[[1700000010, 1]]}]");
    // windows that overlap are not slices: the scan answers
    int before = logs.volumeReads;
    matrix(volume, 5 * SECOND);
    assertThat(logs.volumeReads).isEqualTo(before);
  }

  private Object matrix(String query, long step) {
    return queries
        .queryRange(
            TENANT,
            LogQlParser.parse(query),
            new LokiQueries.LogRequest(MINUTE, 100, false, false),
            step,
            new QueryStats(LokiQueries.MAX_SCANNED_RECORDS))
        .get("result");
  }

  @Test
  void aScalarIsAScalar() {
    Map<String, Object> data = instant("1 + 2 * 3", T0);
    assertThat(data.get("resultType")).isEqualTo("scalar");
    assertThat(data.get("result")).isEqualTo(List.of(LokiJson.seconds(T0), "7"));
  }

  @Test
  void rangeQueriesCountEachStepsWindow() {
    Map<String, Object> data =
        queries.queryRange(
            TENANT,
            LogQlParser.parse("count_over_time({service_name=\"checkout\"}[10s])"),
            new LokiQueries.LogRequest(MINUTE, 100, false, false),
            10 * SECOND,
            new QueryStats(LokiQueries.MAX_SCANNED_RECORDS));
    assertThat(data.get("resultType")).isEqualTo("matrix");
    List<?> result = (List<?>) data.get("result");
    assertThat(result).hasSize(2);
    Map<?, ?> error = (Map<?, ?>) result.get(0);
    assertThat(error.get("metric").toString()).contains("level=error");
    assertThat(error.get("values").toString()).isEqualTo("[[1700000020, 1], [1700000030, 1]]");
    Map<?, ?> info = (Map<?, ?>) result.get(1);
    assertThat(info.get("values").toString()).isEqualTo("[[1700000010, 1]]");
  }

  @Test
  void aScanStopsAtItsCapAndSaysSo() {
    QueryStats stats = new QueryStats(2);
    List<LogPipeline.Passed> seen = new ArrayList<>();
    LogScan.Figures figures =
        queries
            .scan(2)
            .scan(TENANT, LogQlParser.parseLog("{service_name=~\".+\"}"), MINUTE, p -> seen.add(p));
    stats.add(figures);
    assertThat(figures.truncated()).isTrue();
    assertThat(seen).hasSize(2);
    assertThat(stats.warnings()).singleElement().asString().contains("only the newest 2");
  }

  @Test
  void pushedDownFiltersOnlyNarrow() {
    var search =
        LogScan.pushedDown(
            LogQlParser.parseLog(
                "{service_name=\"checkout\", level=\"warn\", trace_id=\""
                    + KnownLogs.TRACE_B
                    + "\"} |= \"Card\" |= \"{x\""),
            MINUTE,
            dev.glust.application.port.model.PageRequest.first(10));
    assertThat(search.service()).contains("checkout");
    assertThat(search.minSeverity()).isEqualTo(13);
    assertThat(search.text()).contains("Card");
    assertThat(search.traceId().orElseThrow().toHex()).isEqualTo(KnownLogs.TRACE_B);
    assertThat(
            LogScan.pushedDown(
                    LogQlParser.parseLog("{service_name=\"a\"} | json |= \"x\""),
                    MINUTE,
                    dev.glust.application.port.model.PageRequest.first(10))
                .text())
        .isEmpty();
    // the storage matches "card" case-insensitively, the pipeline keeps the case
    assertThat(lines("{service_name=\"checkout\"} |= \"Card\"", 10, false)).isEmpty();
    assertThat(logs.searches).isPositive();
  }

  @Test
  void labelsValuesSeriesAndIndexStats() {
    assertThat(queries.labelNames(TENANT, null, MINUTE))
        .containsExactly("deployment_environment", "level", "service_name", "severity_text");
    assertThat(queries.labelValues(TENANT, "level", null, MINUTE))
        .containsExactly("error", "info", "warn");
    assertThat(queries.labelValues(TENANT, "service_name", null, MINUTE))
        .containsExactly("checkout", "payments");
    assertThat(
            queries.labelValues(
                TENANT, "level", LogQlParser.parseLog("{service_name=\"payments\"}"), MINUTE))
        .containsExactly("info", "warn");
    assertThat(queries.series(TENANT, List.of(LogQlParser.parseLog("{level=\"error\"}")), MINUTE))
        .singleElement()
        .asString()
        .isEqualTo(
            "{deployment_environment=prod, level=error, service_name=checkout, severity_text=ERROR}");
    Map<String, Object> stats =
        queries.indexStats(TENANT, LogQlParser.parseLog("{service_name=\"payments\"}"), MINUTE);
    assertThat(stats).containsEntry("streams", 2).containsEntry("chunks", 2);
    assertThat(stats).containsEntry("entries", 2L).containsEntry("bytes", 60L);

    // past the sample: the storage counts the pushed-down search, the sample gives the share
    LokiQueries sampling =
        new LokiQueries(logs, logs.volumes(), logs.services(), JsonMapper.createDefault(), 2);
    assertThat(
            sampling.indexStats(
                TENANT, LogQlParser.parseLog("{service_name=\"payments\"}"), MINUTE))
        .containsEntry("entries", 2L)
        .containsEntry("bytes", 60L);
    // the newest two records are payments': none of the five is estimated to be checkout's
    assertThat(
            sampling.indexStats(
                TENANT, LogQlParser.parseLog("{service_name=~\"check.*\"}"), MINUTE))
        .containsEntry("entries", 0L);
    assertThat(
            sampling.indexStats(
                TENANT, LogQlParser.parseLog("{deployment_environment=\"prod\"}"), MINUTE))
        .containsEntry("entries", 5L)
        .containsEntry("bytes", 150L); // five lines of the sample's 30 bytes
  }

  @Test
  void tooManyStepsIsA400() {
    assertThatThrownBy(
            () ->
                queries.queryRange(
                    TENANT,
                    LogQlParser.parse("vector(1)"),
                    new LokiQueries.LogRequest(new TimeRange(0, 20_000 * SECOND), 1, false, false),
                    SECOND,
                    new QueryStats(1)))
        .isInstanceOf(LogQlException.class)
        .hasMessageContaining("exceeded maximum resolution of 11000 points");
  }
}
