package dev.glust.adapter.query.loki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.json.JsonMapper;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random text and mutated valid queries: each parses and runs, or is refused with a {@link
 * LogQlException} (HTTP 400). Anything else thrown would be a 5xx.
 */
class LogQlFuzzTest {
  private static final List<String> VALID =
      List.of(
          "{service_name=\"checkout\"} |= \"order\" != \"x\" |~ \"o.d\" !~ \"zz\"",
          "{service_name=~\".+\", level!=\"debug\"} | json | status >= 500 and user_id=\"u1\"",
          "{service_name=\"payments\"} | logfmt | duration_ms > 1000 or (msg=~\"s.*\", x!=\"y\")",
          "sum by (level, detected_level) (count_over_time({service_name=~\".+\"} | drop"
              + " __error__[1m]))",
          "topk(2, sum by (service_name) (rate({level=\"error\"}[5m])))",
          "avg without (level) (bytes_over_time({deployment_environment=\"prod\"}[30s])) / 2",
          "vector(1)+vector(1)",
          "max(bytes_rate({trace_id=\"0af7651916cd43dd8448eb211c80319c\"}[1h])) * -3 % 7");

  private static final String ALPHABET = "{}()[]|=!~\"`,.+-*/%^<>_ abcjsonlgfmt0123456789\\\n";

  private final KnownLogs logs = new KnownLogs();
  private final LokiQueries queries =
      new LokiQueries(logs, logs.volumes(), logs.services(), JsonMapper.createDefault());

  @Property(tries = 1500)
  void randomTextIsParsedOrRefused(@ForAll("noise") String query) {
    runOrRefuse(query);
  }

  @Property(tries = 1500)
  void mutatedQueriesAreParsedOrRefused(@ForAll("mutated") String query) {
    runOrRefuse(query);
  }

  @Property(tries = 1000)
  void timesAndStepsAreParsedOrRefused(@ForAll("parameters") String value) {
    try {
      assertThat(LokiTimes.parseTime("start", value)).isNotNegative();
    } catch (LogQlException e) {
      assertThat(e.getMessage()).contains("\"start\"");
    }
    try {
      assertThat(LokiTimes.parseStep(value)).isPositive();
    } catch (LogQlException e) {
      assertThat(e.getMessage()).contains("\"step\"");
    }
  }

  @Provide
  Arbitrary<String> parameters() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789.-+:TZ smhdwyµnu").ofMaxLength(30),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf));
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<String> base = Arbitraries.of(VALID);
    Arbitrary<Integer> where = Arbitraries.integers().between(0, 200);
    Arbitrary<Integer> howMany = Arbitraries.integers().between(0, 4);
    Arbitrary<Character> what = Arbitraries.of(ALPHABET.toCharArray());
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    return Combinators.combine(base, where, howMany, what, kind)
        .as(
            (query, at, count, c, k) -> {
              StringBuilder out = new StringBuilder(query);
              int position = Math.min(at, out.length());
              switch (k) {
                case 0 -> out.insert(position, String.valueOf(c).repeat(count + 1));
                case 1 -> out.delete(position, Math.min(out.length(), position + count + 1));
                default -> {
                  if (position < out.length()) {
                    out.setCharAt(position, c);
                  }
                }
              }
              return out.toString();
            });
  }

  private void runOrRefuse(String query) {
    try {
      LogQl.Expr expr = LogQlParser.parse(query);
      long t0 = KnownLogs.T0;
      queries.queryRange(
          new TenantId("acme"),
          expr,
          new LokiQueries.LogRequest(
              new TimeRange(t0, t0 + 60 * LokiTimes.SECOND), 50, false, true),
          10 * LokiTimes.SECOND,
          new QueryStats(LokiQueries.MAX_SCANNED_RECORDS));
      queries.queryInstant(
          new TenantId("acme"),
          expr,
          new LokiQueries.LogRequest(
              new TimeRange(t0 + 60 * LokiTimes.SECOND, t0 + 60 * LokiTimes.SECOND),
              50,
              true,
              false),
          new QueryStats(LokiQueries.MAX_SCANNED_RECORDS));
    } catch (LogQlException | InvalidQueryException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
