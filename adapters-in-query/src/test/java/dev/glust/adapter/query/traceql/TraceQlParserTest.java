package dev.glust.adapter.query.traceql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanCondition.Compare;
import dev.glust.application.port.model.spanset.SpanField.AttributeField;
import dev.glust.application.port.model.spanset.SpanField.AttributeScope;
import dev.glust.application.port.model.spanset.SpanField.Intrinsic;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.application.port.model.spanset.SpansetQuery.Aggregate;
import dev.glust.application.port.model.spanset.SpansetQuery.Relation;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceQlParserTest {
  private static SpansetQuery.Filter filter(SpanCondition c) {
    return new SpansetQuery.Filter(c);
  }

  private static AttributeField span(String key) {
    return new AttributeField(AttributeScope.SPAN, key);
  }

  @Test
  void emptyFilterMatchesEverySpan() {
    assertThat(TraceQl.parse("{}")).isEqualTo(filter(new SpanCondition.Always()));
    assertThat(TraceQl.parse(" { true } ")).isEqualTo(filter(new SpanCondition.Always()));
  }

  @Test
  void attributesOfEachScopeWithTypedValues() {
    assertThat(
            TraceQl.parse(
                "{ resource.service.name = \"shop\" && span.http.status_code >= 500"
                    + " && .flag = true && span.x = nil && span.\"odd key\" != -1.5 }"))
        .isEqualTo(
            filter(
                new SpanCondition.All(
                    List.of(
                        new Compare(
                            new AttributeField(AttributeScope.RESOURCE, "service.name"),
                            Comparison.EQUAL,
                            new FieldValue.Text("shop")),
                        new Compare(
                            span("http.status_code"),
                            Comparison.GREATER_OR_EQUAL,
                            new FieldValue.Number(new BigDecimal("500"))),
                        new Compare(
                            new AttributeField(AttributeScope.ANY, "flag"),
                            Comparison.EQUAL,
                            new FieldValue.Bool(true)),
                        new Compare(span("x"), Comparison.EQUAL, new FieldValue.Nil()),
                        new Compare(
                            span("odd key"),
                            Comparison.NOT_EQUAL,
                            new FieldValue.Number(new BigDecimal("-1.5")))))));
  }

  @Test
  void intrinsicsWithKeywordsDurationsAndRegexes() {
    assertThat(
            TraceQl.parse(
                "{ status = error || kind = server || duration > 1.5s || name =~ \"GET .*\""
                    + " || span:statusMessage !~ \"x\\\\d\" || traceDuration <= 300ms }"))
        .isEqualTo(
            filter(
                new SpanCondition.Any(
                    List.of(
                        new Compare(
                            Intrinsic.STATUS,
                            Comparison.EQUAL,
                            new FieldValue.Status(SpanStatus.Code.ERROR)),
                        new Compare(
                            Intrinsic.KIND, Comparison.EQUAL, new FieldValue.Kind(SpanKind.SERVER)),
                        new Compare(
                            Intrinsic.DURATION,
                            Comparison.GREATER,
                            new FieldValue.Duration(1_500_000_000L)),
                        new Compare(
                            Intrinsic.NAME, Comparison.MATCHES, new FieldValue.Regex("GET .*")),
                        new Compare(
                            Intrinsic.STATUS_MESSAGE,
                            Comparison.NOT_MATCHES,
                            new FieldValue.Regex("x\\d")),
                        new Compare(
                            Intrinsic.TRACE_DURATION,
                            Comparison.LESS_OR_EQUAL,
                            new FieldValue.Duration(300_000_000L))))));
  }

  @Test
  void andBindsTighterThanOrInsideAFilter() {
    SpanCondition a = new Compare(span("a"), Comparison.EQUAL, new FieldValue.Text("1"));
    SpanCondition b = new Compare(span("b"), Comparison.EQUAL, new FieldValue.Text("2"));
    SpanCondition c = new Compare(span("c"), Comparison.EQUAL, new FieldValue.Text("3"));
    assertThat(TraceQl.parse("{ span.a = \"1\" || span.b = \"2\" && span.c = \"3\" }"))
        .isEqualTo(filter(new SpanCondition.Any(List.of(a, new SpanCondition.All(List.of(b, c))))));
    assertThat(TraceQl.parse("{ (span.a = \"1\" || span.b = \"2\") && span.c = \"3\" }"))
        .isEqualTo(filter(new SpanCondition.All(List.of(new SpanCondition.Any(List.of(a, b)), c))));
  }

  @Test
  void spansetOperatorsStructureAndAggregates() {
    SpansetQuery a = TraceQl.parse("{ name = \"a\" }");
    SpansetQuery b = TraceQl.parse("{ name = \"b\" }");
    SpansetQuery c = TraceQl.parse("{ name = \"c\" }");
    assertThat(TraceQl.parse("{ name = \"a\" } > { name = \"b\" } || { name = \"c\" }"))
        .isEqualTo(new SpansetQuery.Either(new SpansetQuery.Related(a, Relation.CHILD, b), c));
    assertThat(TraceQl.parse("{ name = \"a\" } && ({ name = \"b\" } >> { name = \"c\" })"))
        .isEqualTo(new SpansetQuery.Both(a, new SpansetQuery.Related(b, Relation.DESCENDANT, c)));
    assertThat(TraceQl.parse("{ name = \"a\" } | count() > 2 | avg(duration) >= 20ms"))
        .isEqualTo(
            new SpansetQuery.Aggregated(
                new SpansetQuery.Aggregated(
                    a, Aggregate.COUNT, Comparison.GREATER, new BigDecimal("2")),
                Aggregate.AVG_DURATION,
                Comparison.GREATER_OR_EQUAL,
                new BigDecimal("20000000")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '#',
      value = {
        "{ name = \"a\" } | select(span.x)             # pipeline stage select()",
        "{ name = \"a\" } | by(span.x)                 # pipeline stage by() (only count() and avg|min|max|sum(duration)) at column 18",
        "{ name = \"a\" } ~ { name = \"b\" }           # spanset operator '~'",
        "{ name = \"a\" } !> { name = \"b\" }          # spanset operator '!>'",
        "{ name = \"a\" } < { name = \"b\" }           # spanset operator '<'",
        "{ event.exception = \"x\" }                   # attribute scope 'event.'",
        "{ span:id = \"x\" }                           # intrinsic or identifier 'span:id'",
        "{ !(name = \"a\") }                           # negation '!'",
        "{ span.x }                                    # bare field span.x",
        "{ duration > 5 }                              # the value's type does not fit",
        "{ status > error }                            # this value takes = or != only",
        "{ name =~ 5 }                                 # =~ and !~ take a string",
        "{ name = GET }                                # value 'GET' (strings need quotes)",
        "{ name = \"a\" } | count() > 1s               # count() compared with '1s'",
        "{ name = \"a\" } | avg(span.x) > 1s           # avg(span.x)",
        "{ duration > 5y }                             # duration '5y'",
        "{ name = \"a }                                # a string that is never closed",
        "{ span. = 1 }                                 # an attribute name after 'span.'",
      })
  void refusalsNameTheConstruct(String query, String named) {
    assertThatThrownBy(() -> TraceQl.parse(query.strip()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining(named.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                        | expected a spanset filter '{ … }' at column 1",
        "{ name = \"a\"             | expected '}' or && / || between conditions at column 13",
        "{ name = \"a\" } extra     | expected the end of the query at column 16",
        "name = \"a\"               | expected a spanset filter",
        "{ name = }                | expected a value",
      })
  void syntaxErrorsNameTheColumn(String query, String message) {
    assertThatThrownBy(() -> TraceQl.parse(query.strip()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void invalidRegexIsRefused() {
    assertThatThrownBy(() -> TraceQl.parse("{ name =~ \"(\" }"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("invalid regular expression");
  }

  @Test
  void deepNestingIsRefusedNotOverflowed() {
    String deep = "(".repeat(100) + "{}" + ")".repeat(100);
    assertThatThrownBy(() -> TraceQl.parse(deep)).hasMessageContaining("nesting deeper than");
  }
}
