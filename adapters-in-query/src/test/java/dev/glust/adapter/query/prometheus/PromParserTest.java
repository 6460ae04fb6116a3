package dev.glust.adapter.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.query.prometheus.Expr.Aggregate;
import dev.glust.adapter.query.prometheus.Expr.AggregateOp;
import dev.glust.adapter.query.prometheus.Expr.Binary;
import dev.glust.adapter.query.prometheus.Expr.BinaryOp;
import dev.glust.adapter.query.prometheus.Expr.Call;
import dev.glust.adapter.query.prometheus.Expr.MatchOp;
import dev.glust.adapter.query.prometheus.Expr.MatrixSelector;
import dev.glust.adapter.query.prometheus.Expr.Negation;
import dev.glust.adapter.query.prometheus.Expr.NumberLiteral;
import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromParserTest {
  @Test
  void selectorsTakeAllFourMatchersAndANameAsOneMore() {
    VectorSelector s =
        (VectorSelector)
            PromParser.parse(
                "http_requests_total{job=\"api\", code!='500', path=~`/a.*`, method!~\"P.*\",}");
    assertThat(s.metricName()).contains("http_requests_total");
    assertThat(s.matchers())
        .extracting(Expr.Matcher::label, Expr.Matcher::op, Expr.Matcher::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Labels.NAME, MatchOp.EQUAL, "http_requests_total"),
            org.assertj.core.groups.Tuple.tuple("job", MatchOp.EQUAL, "api"),
            org.assertj.core.groups.Tuple.tuple("code", MatchOp.NOT_EQUAL, "500"),
            org.assertj.core.groups.Tuple.tuple("path", MatchOp.REGEX, "/a.*"),
            org.assertj.core.groups.Tuple.tuple("method", MatchOp.NOT_REGEX, "P.*"));
    assertThat(s.matchers().get(3).matches("/abc")).isTrue();
    assertThat(s.matchers().get(3).matches("x/abc")).isFalse(); // anchored
    assertThat(((VectorSelector) PromParser.parse("{__name__=\"up\"}")).metricName())
        .contains("up");
  }

  @Test
  void rangesOffsetsAndFunctions() {
    Call rate = (Call) PromParser.parse("rate(http_requests_total[1m30s] offset 5m)");
    assertThat(rate.function()).isEqualTo(Expr.Function.RATE);
    MatrixSelector m = (MatrixSelector) rate.args().get(0);
    assertThat(m.rangeNanos()).isEqualTo(90 * FixedSeries.SECOND);
    assertThat(m.selector().offsetNanos()).isEqualTo(300 * FixedSeries.SECOND);
    assertThat(((VectorSelector) PromParser.parse("up offset -1h")).offsetNanos())
        .isEqualTo(-3600 * FixedSeries.SECOND);
  }

  @Test
  void aggregationsTakeTheirGroupingBeforeOrAfter() {
    Aggregate before = (Aggregate) PromParser.parse("sum by (job, le) (rate(x[5m]))");
    Aggregate after = (Aggregate) PromParser.parse("sum(rate(x[5m])) without (instance)");
    assertThat(before.grouping()).containsExactly("job", "le");
    assertThat(before.without()).isFalse();
    assertThat(after.grouping()).containsExactly("instance");
    assertThat(after.without()).isTrue();
    Aggregate top = (Aggregate) PromParser.parse("topk(3, x)");
    assertThat(top.op()).isEqualTo(AggregateOp.TOPK);
    assertThat(top.parameter()).contains(new NumberLiteral(3));
  }

  @Test
  void precedenceAndAssociativityFollowPrometheus() {
    Binary sum = (Binary) PromParser.parse("1 + 2 * 3");
    assertThat(sum.op()).isEqualTo(BinaryOp.ADD);
    assertThat(((Binary) sum.rhs()).op()).isEqualTo(BinaryOp.MUL);
    Binary left = (Binary) PromParser.parse("10 - 2 - 3"); // left-associative
    assertThat(left.lhs()).isInstanceOf(Binary.class);
    Binary power = (Binary) PromParser.parse("2 ^ 3 ^ 2"); // right-associative
    assertThat(power.rhs()).isInstanceOf(Binary.class);
    assertThat(PromParser.parse("-2 ^ 2")).isInstanceOf(Negation.class); // -(2^2)
    Binary comparison = (Binary) PromParser.parse("x > bool 1 + 1");
    assertThat(comparison.op()).isEqualTo(BinaryOp.GTR);
    assertThat(comparison.returnBool()).isTrue();
    assertThat(PromParser.parse("1+1").type()).isEqualTo(Expr.Type.SCALAR);
    assertThat(PromParser.parse("vector(1)+vector(1)").type()).isEqualTo(Expr.Type.VECTOR);
  }

  @Test
  void numbersInEveryNotation() {
    assertThat(PromParser.parse("0x1F")).isEqualTo(new NumberLiteral(31));
    assertThat(PromParser.parse("1.5e3")).isEqualTo(new NumberLiteral(1500));
    assertThat(PromParser.parse(".5")).isEqualTo(new NumberLiteral(0.5));
    assertThat(PromParser.parse("Inf")).isEqualTo(new NumberLiteral(Double.POSITIVE_INFINITY));
    assertThat(((NumberLiteral) PromParser.parse("NaN")).value()).isNaN();
    assertThat(PromParser.parse("# a comment\n 42")).isEqualTo(new NumberLiteral(42));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a and b | the set operator \"and\" is not supported",
        "a or b | the set operator \"or\" is not supported",
        "a / on(job) b | vector matching with \"on\" is not supported",
        "a * ignoring(x) b | vector matching with \"ignoring\" is not supported",
        "rate(x[5m:1m]) | a subquery is not supported",
        "x @ 100 | the @ modifier is not supported",
        "label_replace(x, \"a\", \"b\", \"c\", \"d\") | the function \"label_replace\" is not"
            + " supported",
        "quantile(0.9, x) | the aggregation \"quantile\" is not supported",
        "sum(x[5m]) | expected type instant vector in expression of sum, got range vector",
        "rate(x) | expected type range vector in argument 1 of rate, got instant vector",
        "1 > 2 | comparisons between scalars must use BOOL modifier",
        "x{a=\"1\" | unexpected end of input",
        "{a=~\".*\"} | vector selector must contain at least one non-empty matcher",
        "x{a=~\"(\"} | invalid regular expression",
        "x[5x] | bad number or duration syntax",
        "sum(x, y) | aggregation sum takes one argument",
        "topk(x) | aggregation topk needs a parameter",
        "(1 | unexpected end of input, expected \")\"",
        "\"abc | unterminated string",
        "1 + | unexpected end of input",
        "x offset 5m offset 1m | unexpected \"offset\"",
      })
  void refusesWhatItCannotAnswerNamingIt(String query, String message) {
    assertThatThrownBy(() -> PromParser.parse(query))
        .isInstanceOf(PromQueryException.class)
        .hasMessageContaining(message)
        .hasMessageStartingWith("parse error at char ");
  }

  @Test
  void positionsCountFromOne() {
    assertThatThrownBy(() -> PromParser.parse("sum(x) and y"))
        .hasMessage(
            "parse error at char 8: the set operator \"and\" is not supported by Glust's PromQL"
                + " subset");
  }

  @Test
  void deepNestingIsRefusedNotOverflowingTheStack() {
    String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> PromParser.parse(deep)).hasMessageContaining("nested too deeply");
    String minus = "-".repeat(5000) + "1";
    assertThatThrownBy(() -> PromParser.parse(minus)).hasMessageContaining("nested too deeply");
    assertThat(List.of(PromParser.parse("((1))"))).containsExactly(new NumberLiteral(1));
  }
}
