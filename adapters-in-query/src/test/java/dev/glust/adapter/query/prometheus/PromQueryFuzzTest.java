package dev.glust.adapter.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any text, and valid queries with a character inserted, deleted or replaced, either evaluate or
 * are refused with a {@link PromQueryException} (the API's 400); nothing else escapes (a 5xx).
 */
class PromQueryFuzzTest {
  private static final List<String> VALID =
      List.of(
          "sum by (job) (rate(http_requests_total{job=~\"a.*\", code!=\"500\"}[5m]))",
          "histogram_quantile(0.95, sum by (le) (rate(latency_bucket[5m] offset 1m)))",
          "topk(3, memory_bytes) > bool 2 * vector(1)",
          "-irate(x_total[1m]) ^ 2 / increase(x_total[30s]) % 3",
          "avg without (instance) (delta(g{a!~\"b\"}[1h]))",
          "1+1",
          "max_over_time(memory_bytes[10m]) - min(memory_bytes)",
          "count(up == 1) + scalar(sum(x)) + time()");

  private static final PromQueries QUERIES =
      new PromQueries(
          new FixedSeries()
              .add(Map.of(Labels.NAME, "memory_bytes", "job", "a"), 10, 1, 2, 3)
              .add(Map.of(Labels.NAME, "x_total", "job", "a"), 10, 1, 5, 2)
              .add(Map.of(Labels.NAME, "latency_bucket", "le", "1", "job", "a"), 10, 1, 2)
              .add(Map.of(Labels.NAME, "latency_bucket", "le", "+Inf", "job", "a"), 10, 1, 3));

  @Property(tries = 2000)
  void randomTextIsAnsweredOrRefused(@ForAll("promqlish") String query) {
    answeredOrRefused(query);
  }

  @Property(tries = 3000)
  void mutatedQueriesAreAnsweredOrRefused(@ForAll("mutated") String query) {
    answeredOrRefused(query);
  }

  private static void answeredOrRefused(String query) {
    try {
      QUERIES.instant(query, 20 * FixedSeries.SECOND);
      QUERIES.range(query, 0, 60 * FixedSeries.SECOND, 15 * FixedSeries.SECOND);
      QUERIES.exemplars(query, 0, 60 * FixedSeries.SECOND);
    } catch (PromQueryException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> promqlish() {
    return Arbitraries.strings()
        .withChars("abcxyz_:{}[]()\"'`=!~<>+-*/%^,.0123456789 smhe@#\\\n")
        .ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<String> base = Arbitraries.of(VALID);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 1000);
    Arbitrary<Character> c = Arbitraries.chars().with("{}[]()\"=!~<>+-*/^,0 5mabyoffsetby\\");
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    return Combinators.combine(base, position, c, kind)
        .as(
            (q, pos, ch, k) -> {
              int i = pos % (q.length() + 1);
              return switch (k) {
                case 0 -> q.substring(0, i) + ch + q.substring(i);
                case 1 -> i < q.length() ? q.substring(0, i) + q.substring(i + 1) : q;
                default -> i < q.length() ? q.substring(0, i) + ch + q.substring(i + 1) : q;
              };
            });
  }
}
