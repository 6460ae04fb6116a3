package dev.glust.adapter.query.traceql;

import dev.glust.application.port.model.InvalidQueryException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser answers with a query or a clear refusal, nothing else. */
class TraceQlFuzzTest {
  private static final List<String> VALID =
      List.of(
          "{ resource.service.name = \"shop\" && span.http.status_code >= 500 }",
          "{ name =~ \"GET .*\" } > { kind = client || status = error }",
          "{ .x != nil } >> { duration > 300ms } | count() > 2",
          "({ span.a = 1 } || { span.b = true }) && { rootServiceName = \"x\" }",
          "{} | avg(duration) < 1.5s");

  private static void parseOrRefuse(String query) {
    try {
      TraceQl.parse(query);
    } catch (InvalidQueryException refused) {
      // a clear 400: fine
    }
  }

  @Property(tries = 2000)
  void randomTextIsParsedOrRefused(@ForAll("traceQlish") String query) {
    parseOrRefuse(query);
  }

  @Property(tries = 2000)
  void mutatedValidQueriesAreParsedOrRefused(@ForAll("mutated") String query) {
    parseOrRefuse(query);
  }

  @Provide
  Arbitrary<String> traceQlish() {
    return Arbitraries.strings()
        .withChars("{}()[]|&!=<>~.,\"`\\:-_ 0123456789abcdeghklmnoprstuvxyµ")
        .ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> mutated() {
    return Combinators.combine(
            Arbitraries.of(VALID),
            Arbitraries.integers().between(0, 80),
            Arbitraries.strings().withChars("{}()|&!=<>~.\"`\\ 0129smhe").ofMaxLength(4),
            Arbitraries.integers().between(0, 3))
        .as(
            (q, at, insert, drop) -> {
              int cut = Math.min(at, q.length());
              return q.substring(0, cut) + insert + q.substring(Math.min(q.length(), cut + drop));
            });
  }
}
