package dev.glust.adapter.query.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.query.loki.LogQl.AggregationOp;
import dev.glust.adapter.query.loki.LogQl.Arithmetic;
import dev.glust.adapter.query.loki.LogQl.ArithmeticOp;
import dev.glust.adapter.query.loki.LogQl.BothPredicates;
import dev.glust.adapter.query.loki.LogQl.DropStage;
import dev.glust.adapter.query.loki.LogQl.EitherPredicate;
import dev.glust.adapter.query.loki.LogQl.LabelFilter;
import dev.glust.adapter.query.loki.LogQl.LineFilter;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.NumberComparison;
import dev.glust.adapter.query.loki.LogQl.ParserKind;
import dev.glust.adapter.query.loki.LogQl.ParserStage;
import dev.glust.adapter.query.loki.LogQl.RangeAggregation;
import dev.glust.adapter.query.loki.LogQl.RangeFunction;
import dev.glust.adapter.query.loki.LogQl.VectorAggregation;
import dev.glust.adapter.query.loki.LogQl.VectorLiteral;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogQlParserTest {
  @Test
  void aSelectorWithEveryMatcherAndChainedLineFilters() {
    LogExpr log =
        (LogExpr)
            LogQlParser.parse(
                "{service_name=\"api\", level!=\"debug\", k8s_pod_name=~\"api-.*\","
                    + " trace_id!~\"0+\"} |= \"GET\" != \"health\" |~ `5\\d\\d` !~ \"(?i)bot\"");
    assertThat(log.selector())
        .extracting(m -> m.name() + m.op().token + m.value())
        .containsExactly(
            "service_name=api", "level!=debug", "k8s_pod_name=~api-.*", "trace_id!~0+");
    assertThat(log.stages())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("pattern")
        .containsExactly(
            LineFilter.of(false, false, "GET"),
            LineFilter.of(true, false, "health"),
            LineFilter.of(false, true, "5\\d\\d"),
            LineFilter.of(true, true, "(?i)bot"));
    assertThat(log.selector().get(2).matches("api-7f9")).isTrue();
    assertThat(log.selector().get(2).matches("xapi-7f9")).isFalse(); // anchored, as in Loki
  }

  @Test
  void parsersLabelFiltersAndDrop() {
    LogExpr log =
        (LogExpr)
            LogQlParser.parse(
                "{service_name=\"api\"} | json | status >= 500 and method=\"GET\" or"
                    + " (user=~\"a.*\", path!=\"/\") | logfmt | drop __error__, __error_details__");
    assertThat(log.stages().get(0)).isEqualTo(new ParserStage(ParserKind.JSON));
    LabelFilter filter = (LabelFilter) log.stages().get(1);
    EitherPredicate either = (EitherPredicate) filter.predicate();
    BothPredicates both = (BothPredicates) either.left();
    assertThat(both.left())
        .isEqualTo(new NumberComparison("status", LogQl.Comparison.GREATER_OR_EQUAL, 500));
    assertThat(either.right()).isInstanceOf(BothPredicates.class);
    assertThat(log.stages().get(2)).isEqualTo(new ParserStage(ParserKind.LOGFMT));
    assertThat(log.stages().get(3))
        .isEqualTo(new DropStage(Set.of("__error__", "__error_details__")));
  }

  @Test
  void grafanasLogVolumeQuery() {
    VectorAggregation sum =
        (VectorAggregation)
            LogQlParser.parse(
                "sum by (level, detected_level) (count_over_time({service_name=\"api\"} |="
                    + " \"x\" | drop __error__[1m0s]))");
    assertThat(sum.op()).isEqualTo(AggregationOp.SUM);
    assertThat(sum.grouping().labels()).containsExactly("level", "detected_level");
    RangeAggregation count = (RangeAggregation) sum.inner();
    assertThat(count.function()).isEqualTo(RangeFunction.COUNT_OVER_TIME);
    assertThat(count.rangeNanos()).isEqualTo(60 * LokiTimes.SECOND);
    assertThat(count.log().stages()).hasSize(2);
  }

  @Test
  void groupingAfterTheAggregationTopkAndArithmetic() {
    VectorAggregation max =
        (VectorAggregation) LogQlParser.parse("max(rate({a=\"b\"}[5m])) without (pod)");
    assertThat(max.grouping().without()).isTrue();
    assertThat(max.grouping().labels()).containsExactly("pod");

    Arithmetic sum = (Arithmetic) LogQlParser.parse("vector(1)+vector(1)");
    assertThat(sum.op()).isEqualTo(ArithmeticOp.ADD);
    assertThat(sum.left()).isEqualTo(new VectorLiteral(1));

    Arithmetic precedence = (Arithmetic) LogQlParser.parse("1 + 2 * 3");
    assertThat(precedence.op()).isEqualTo(ArithmeticOp.ADD);
    assertThat(((Arithmetic) precedence.right()).op()).isEqualTo(ArithmeticOp.MULTIPLY);

    VectorAggregation topk =
        (VectorAggregation)
            LogQlParser.parse(
                "topk(3, sum by (service_name) (bytes_over_time({level=\"error\"}[1h])))");
    assertThat(topk.parameter()).isEqualTo(3);
    assertThat(topk.op()).isEqualTo(AggregationOp.TOPK);
  }

  @Test
  void stringsKeepTheirEscapes() {
    LogExpr log = (LogExpr) LogQlParser.parse("{a=\"x\\\"y\\\\z\\n\"} |= `raw \\d`");
    assertThat(log.selector().get(0).value()).isEqualTo("x\"y\\z\n");
    assertThat(((LineFilter) log.stages().get(0)).value()).isEqualTo("raw \\d");
    assertThat(log.selector().get(0).op()).isEqualTo(MatchOp.EQUAL);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "{a=\"b\"} | line_format \"{{.x}}\"  => the line_format stage is not supported",
        "{a=\"b\"} | pattern \"<x>\"          => the pattern stage is not supported",
        "quantile_over_time(0.99, {a=\"b\"} | unwrap x [5m]) => quantile_over_time is not supported",
        "sum_over_time({a=\"b\"}[5m])         => sum_over_time is not supported",
        "count_over_time({a=\"b\"}[5m] offset 1h) => offset is not supported",
        "{a=\"b\"} |= \"x\" or \"y\"          => 'or' between line filters is not supported",
        "{a=\"b\"} | json foo=\"bar\"         => json with parameters (foo) is not supported",
        "{a=\"b\"} | x > 5s                   => a duration or byte-size label filter is not supported",
        "rate({a=\"b\"}[5m]) > 1              => comparison operators between vectors is not supported",
        "2 ^ 3                               => the power operator ^ is not supported",
      })
  void constructsOutsideTheSubsetAreNamed(String query, String message) {
    assertThatThrownBy(() -> LogQlParser.parse(query.strip()))
        .isInstanceOf(LogQlException.class)
        .hasMessageStartingWith("parse error at line 1, col ")
        .hasMessageContaining(message.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "{a=\"b\"                => col 7: syntax error: unexpected end of query, expected '}' or ','",
        "{}                      => col 1: a stream selector needs at least one label matcher",
        "{a=\"\"}                => col 1: queries require at least one matcher that does not match",
        "{a=~\"(\"}              => col 5: invalid regex",
        "{a=\"b\"} |= 5          => col 12: syntax error: unexpected '5', expected a quoted string",
        "count_over_time({a=\"b\"}) => col 24: syntax error: unexpected ')', expected a range",
        "count_over_time({a=\"b\"}[5x]) => col 25: not a duration: 5x",
        "sum({a=\"b\"})           => col 5: a log query cannot be used here",
        "{a=\"b\"} + 1           => col 9: a log query cannot be used here",
        "\"unterminated          => col 1: unterminated string",
        "{a=\"b\"} # comment     => col 9: unexpected character '#'",
        "topk(0, vector(1))      => col 6: topk needs a whole number between 1 and 10000",
        "foo(1)                  => col 1: syntax error: unexpected 'foo'",
      })
  void malformedQueriesSayWhereAndWhat(String query, String message) {
    assertThatThrownBy(() -> LogQlParser.parse(query.strip()))
        .isInstanceOf(LogQlException.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void deepNestingAndHugeQueriesAreRefusedNotOverflowed() {
    String deep = "(".repeat(9000) + "1" + ")".repeat(9000);
    assertThatThrownBy(() -> LogQlParser.parse(deep))
        .isInstanceOf(LogQlException.class)
        .hasMessageContaining("longer than");
    String nested = "(".repeat(100) + "1" + ")".repeat(100);
    assertThatThrownBy(() -> LogQlParser.parse(nested))
        .isInstanceOf(LogQlException.class)
        .hasMessageContaining("nests deeper than 64");
    assertThat(LogQlParser.parse("(".repeat(20) + "1" + ")".repeat(20)))
        .isEqualTo(new LogQl.NumberLiteral(1));
  }

  @Test
  void timesAndDurationsAsLokiTakesThem() {
    assertThat(LokiTimes.parseTime("start", "1700000000000000000")).isEqualTo(KnownLogs.T0);
    assertThat(LokiTimes.parseTime("start", "1700000000")).isEqualTo(KnownLogs.T0);
    assertThat(LokiTimes.parseTime("start", "1700000000.5"))
        .isEqualTo(KnownLogs.T0 + LokiTimes.SECOND / 2);
    assertThat(LokiTimes.parseTime("start", "2023-11-14T22:13:20Z")).isEqualTo(KnownLogs.T0);
    assertThat(LokiTimes.parseTime("start", "2023-11-14T23:13:20.25+01:00"))
        .isEqualTo(KnownLogs.T0 + LokiTimes.SECOND / 4);
    assertThatThrownBy(() -> LokiTimes.parseTime("end", "yesterday"))
        .hasMessageContaining("invalid parameter \"end\"");
    assertThatThrownBy(() -> LokiTimes.parseTime("start", "-1"))
        .hasMessageContaining("invalid parameter \"start\": before 1970");
    assertThatThrownBy(() -> LokiTimes.parseTime("start", "9999999999"))
        .hasMessageContaining("invalid parameter \"start\"");
    assertThat(LokiTimes.parseDuration("1h30m")).isEqualTo(5400 * LokiTimes.SECOND);
    assertThat(LokiTimes.parseDuration("250ms")).isEqualTo(250_000_000L);
    assertThat(LokiTimes.parseStep("15")).isEqualTo(15 * LokiTimes.SECOND);
    assertThat(LokiTimes.parseStep("0.5")).isEqualTo(LokiTimes.SECOND / 2);
    assertThat(LokiTimes.parseStep("1000ms")).isEqualTo(LokiTimes.SECOND);
    assertThatThrownBy(() -> LokiTimes.parseStep("0")).hasMessageContaining("step");
    assertThatThrownBy(() -> LokiTimes.parseStep("-5s")).hasMessageContaining("step");
  }

  @Test
  void parseLogRefusesMetricQueries() {
    assertThat(LogQlParser.parseLog("{a=\"b\"}").selector()).hasSize(1);
    assertThatThrownBy(() -> LogQlParser.parseLog("vector(1)"))
        .hasMessageContaining("a log query (a stream selector and its pipeline) is expected");
  }
}
