package dev.glust.adapter.query.traceql;

import dev.glust.adapter.query.traceql.Token.Kind;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpanField.AttributeScope;
import dev.glust.application.port.model.spanset.SpanField.Intrinsic;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.application.port.model.spanset.SpansetQuery.Aggregate;
import dev.glust.application.port.model.spanset.SpansetQuery.Relation;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Recursive descent over the tokens. Spanset operators bind, loosest first: {@code ||}, {@code &&},
 * then the structural {@code >} and {@code >>} (left to right); a pipeline's {@code | aggregate}
 * stages apply to everything before them. Inside a filter {@code ||} binds looser than {@code &&}.
 */
final class TraceQlParser {
  /** Deeper nesting is refused: it would only exhaust the stack. */
  private static final int MAX_DEPTH = 64;

  private static final Map<String, Intrinsic> INTRINSICS =
      Map.ofEntries(
          Map.entry("name", Intrinsic.NAME),
          Map.entry("span:name", Intrinsic.NAME),
          Map.entry("status", Intrinsic.STATUS),
          Map.entry("span:status", Intrinsic.STATUS),
          Map.entry("statusMessage", Intrinsic.STATUS_MESSAGE),
          Map.entry("span:statusMessage", Intrinsic.STATUS_MESSAGE),
          Map.entry("kind", Intrinsic.KIND),
          Map.entry("span:kind", Intrinsic.KIND),
          Map.entry("duration", Intrinsic.DURATION),
          Map.entry("span:duration", Intrinsic.DURATION),
          Map.entry("rootName", Intrinsic.ROOT_NAME),
          Map.entry("trace:rootName", Intrinsic.ROOT_NAME),
          Map.entry("rootServiceName", Intrinsic.ROOT_SERVICE_NAME),
          Map.entry("trace:rootService", Intrinsic.ROOT_SERVICE_NAME),
          Map.entry("traceDuration", Intrinsic.TRACE_DURATION),
          Map.entry("trace:duration", Intrinsic.TRACE_DURATION));

  private static final Map<String, Aggregate> AGGREGATES =
      Map.of(
          "avg", Aggregate.AVG_DURATION,
          "min", Aggregate.MIN_DURATION,
          "max", Aggregate.MAX_DURATION,
          "sum", Aggregate.SUM_DURATION);

  private static final Map<String, Comparison> COMPARISONS =
      Map.of(
          "=", Comparison.EQUAL,
          "!=", Comparison.NOT_EQUAL,
          ">", Comparison.GREATER,
          ">=", Comparison.GREATER_OR_EQUAL,
          "<", Comparison.LESS,
          "<=", Comparison.LESS_OR_EQUAL,
          "=~", Comparison.MATCHES,
          "!~", Comparison.NOT_MATCHES);

  private final List<Token> tokens;
  private int at;
  private int depth;

  TraceQlParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  SpansetQuery query() {
    SpansetQuery query = pipeline();
    Token rest = peek();
    if (rest.kind() != Kind.END) {
      throw unexpected(rest, "the end of the query");
    }
    return query;
  }

  SpanField fieldOnly() {
    SpanField field = field(next());
    Token rest = peek();
    if (rest.kind() != Kind.END) {
      throw unexpected(rest, "the end of the tag name");
    }
    return field;
  }

  // ---- spanset level ----

  private SpansetQuery pipeline() {
    SpansetQuery query = spansetOr();
    while (peek().kind() == Kind.PIPE) {
      next();
      query = stage(query);
    }
    return query;
  }

  private SpansetQuery stage(SpansetQuery input) {
    Token function = next();
    if (function.kind() != Kind.WORD) {
      throw TraceQl.refused(
          "pipeline stage " + quoted(function) + " (only count() and avg|min|max|sum(duration))",
          function.position());
    }
    Aggregate aggregate;
    if (function.text().equals("count")) {
      expect(Kind.OPEN_PAREN, "'(' after count");
      expect(Kind.CLOSE_PAREN, "')' (count() takes no argument)");
      aggregate = Aggregate.COUNT;
    } else if (AGGREGATES.containsKey(function.text())) {
      expect(Kind.OPEN_PAREN, "'(' after " + function.text());
      Token argument = next();
      if (!INTRINSICS.getOrDefault(argument.text(), Intrinsic.NAME).equals(Intrinsic.DURATION)
          || argument.kind() != Kind.WORD) {
        throw TraceQl.refused(
            function.text() + "(" + argument.text() + ") (aggregates take duration only)",
            argument.position());
      }
      expect(Kind.CLOSE_PAREN, "')'");
      aggregate = AGGREGATES.get(function.text());
    } else {
      throw TraceQl.refused(
          "pipeline stage " + function.text() + "() (only count() and avg|min|max|sum(duration))",
          function.position());
    }
    Token operator = next();
    Comparison op = comparison(operator);
    if (op.isRegex()) {
      throw TraceQl.refused(aggregate.text() + " " + op.symbol(), operator.position());
    }
    Token value = next();
    BigDecimal threshold;
    if (aggregate == Aggregate.COUNT && value.kind() == Kind.NUMBER) {
      threshold = number(value);
    } else if (aggregate != Aggregate.COUNT && value.kind() == Kind.DURATION) {
      threshold = BigDecimal.valueOf(duration(value));
    } else {
      throw TraceQl.refused(
          aggregate.text()
              + " compared with "
              + quoted(value)
              + (aggregate == Aggregate.COUNT
                  ? " (a number is needed)"
                  : " (a duration is needed)"),
          value.position());
    }
    return new SpansetQuery.Aggregated(input, aggregate, op, threshold);
  }

  private SpansetQuery spansetOr() {
    SpansetQuery left = spansetAnd();
    while (peek().kind() == Kind.OR) {
      next();
      left = new SpansetQuery.Either(left, spansetAnd());
    }
    return left;
  }

  private SpansetQuery spansetAnd() {
    SpansetQuery left = structural();
    while (peek().kind() == Kind.AND) {
      next();
      left = new SpansetQuery.Both(left, structural());
    }
    return left;
  }

  private SpansetQuery structural() {
    SpansetQuery left = spanset();
    while (peek().kind() == Kind.OPERATOR || peek().is(Kind.PUNCTUATION, "~")) {
      Token op = peek();
      Relation relation;
      if (op.text().equals(">")) {
        relation = Relation.CHILD;
      } else if (op.text().equals(">>")) {
        relation = Relation.DESCENDANT;
      } else {
        throw TraceQl.refused(
            "spanset operator " + quoted(op) + " (only >, >>, && and ||)", op.position());
      }
      next();
      left = new SpansetQuery.Related(left, relation, spanset());
    }
    return left;
  }

  private SpansetQuery spanset() {
    Token open = next();
    if (open.kind() == Kind.OPEN_PAREN) {
      enter(open);
      SpansetQuery inner = pipeline();
      expect(Kind.CLOSE_PAREN, "')'");
      depth--;
      return inner;
    }
    if (open.kind() != Kind.OPEN_BRACE) {
      throw unexpected(open, "a spanset filter '{ … }'");
    }
    if (peek().kind() == Kind.CLOSE_BRACE) {
      next();
      return new SpansetQuery.Filter(new SpanCondition.Always());
    }
    SpanCondition condition = conditionOr();
    expect(Kind.CLOSE_BRACE, "'}' or && / || between conditions");
    return new SpansetQuery.Filter(condition);
  }

  // ---- span conditions, inside { } ----

  private SpanCondition conditionOr() {
    List<SpanCondition> any = new ArrayList<>(List.of(conditionAnd()));
    while (peek().kind() == Kind.OR) {
      next();
      any.add(conditionAnd());
    }
    return any.size() == 1 ? any.get(0) : new SpanCondition.Any(any);
  }

  private SpanCondition conditionAnd() {
    List<SpanCondition> all = new ArrayList<>(List.of(condition()));
    while (peek().kind() == Kind.AND) {
      next();
      all.add(condition());
    }
    return all.size() == 1 ? all.get(0) : new SpanCondition.All(all);
  }

  private SpanCondition condition() {
    Token first = next();
    if (first.kind() == Kind.OPEN_PAREN) {
      enter(first);
      SpanCondition inner = conditionOr();
      expect(Kind.CLOSE_PAREN, "')'");
      depth--;
      return inner;
    }
    if (first.is(Kind.WORD, "true")) {
      return new SpanCondition.Always();
    }
    if (first.is(Kind.PUNCTUATION, "!")) {
      throw TraceQl.refused("negation '!' (use != or !~)", first.position());
    }
    SpanField field = field(first);
    Token operator = next();
    if (operator.kind() == Kind.CLOSE_BRACE
        || operator.kind() == Kind.AND
        || operator.kind() == Kind.OR) {
      throw TraceQl.refused(
          "bare field " + first.text() + " (compare it: = != > >= < <= =~ !~)", first.position());
    }
    Comparison op = comparison(operator);
    FieldValue value = value(next());
    try {
      return new SpanCondition.Compare(field, op, value);
    } catch (InvalidQueryException e) {
      throw new InvalidQueryException(
          "q", e.getMessage().substring("q: ".length()) + " at column " + first.position());
    }
  }

  private SpanField field(Token token) {
    if (token.kind() == Kind.ATTRIBUTE) {
      String text = token.text();
      int dot = text.indexOf('.');
      String scope = text.substring(0, dot);
      String key = text.substring(dot + 1);
      return switch (scope) {
        case "span" -> new SpanField.AttributeField(AttributeScope.SPAN, key);
        case "resource" -> new SpanField.AttributeField(AttributeScope.RESOURCE, key);
        case "" -> new SpanField.AttributeField(AttributeScope.ANY, key);
        default ->
            throw TraceQl.refused(
                "attribute scope '" + scope + ".' (only span., resource. and .)", token.position());
      };
    }
    if (token.kind() == Kind.WORD) {
      Intrinsic intrinsic = INTRINSICS.get(token.text());
      if (intrinsic != null) {
        return intrinsic;
      }
      throw TraceQl.refused(
          "intrinsic or identifier '"
              + token.text()
              + "' (intrinsics: name status statusMessage kind duration rootName"
              + " rootServiceName traceDuration)",
          token.position());
    }
    throw unexpected(token, "a field (an intrinsic such as name, or span.x, resource.x, .x)");
  }

  private static Comparison comparison(Token token) {
    Comparison op = token.kind() == Kind.OPERATOR ? COMPARISONS.get(token.text()) : null;
    if (op == null) {
      throw token.kind() == Kind.OPERATOR || token.kind() == Kind.PUNCTUATION
          ? TraceQl.refused("operator " + quoted(token), token.position())
          : unexpected(token, "a comparison (= != > >= < <= =~ !~)");
    }
    return op;
  }

  private static FieldValue value(Token token) {
    switch (token.kind()) {
      case STRING:
        return new FieldValue.Text(token.text());
      case NUMBER:
        return new FieldValue.Number(number(token));
      case DURATION:
        return new FieldValue.Duration(duration(token));
      case WORD:
        return keyword(token);
      default:
        throw unexpected(
            token, "a value (string, number, duration, true, false, nil, status or kind)");
    }
  }

  private static FieldValue keyword(Token token) {
    String word = token.text();
    switch (word) {
      case "true":
        return new FieldValue.Bool(true);
      case "false":
        return new FieldValue.Bool(false);
      case "nil":
        return new FieldValue.Nil();
      case "error":
        return new FieldValue.Status(SpanStatus.Code.ERROR);
      case "ok":
        return new FieldValue.Status(SpanStatus.Code.OK);
      case "unset":
        return new FieldValue.Status(SpanStatus.Code.UNSET);
      default:
        break;
    }
    Optional<SpanKind> kind =
        Arrays.stream(SpanKind.values())
            .filter(k -> k.name().toLowerCase(Locale.ROOT).equals(word))
            .findFirst();
    return kind.<FieldValue>map(FieldValue.Kind::new)
        .orElseThrow(
            () -> TraceQl.refused("value '" + word + "' (strings need quotes)", token.position()));
  }

  private static BigDecimal number(Token token) {
    try {
      return new BigDecimal(token.text());
    } catch (NumberFormatException e) {
      throw TraceQl.refused("number " + quoted(token), token.position());
    }
  }

  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  /** {@code 300ms}, {@code 1.5s}, {@code 2m}; rounded to whole nanoseconds. */
  static long duration(Token token) {
    String text = token.text();
    int unitStart = text.length();
    while (unitStart > 0 && Character.isLetter(text.charAt(unitStart - 1))) {
      unitStart--;
    }
    Long unit = UNIT_NANOS.get(text.substring(unitStart));
    if (unit == null) {
      throw TraceQl.refused(
          "duration " + quoted(token) + " (units: ns us ms s m h)", token.position());
    }
    try {
      BigDecimal nanos =
          new BigDecimal(text.substring(0, unitStart)).multiply(BigDecimal.valueOf(unit));
      if (nanos.signum() < 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw TraceQl.refused("duration " + quoted(token) + " (out of range)", token.position());
      }
      return nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw TraceQl.refused("duration " + quoted(token), token.position());
    }
  }

  // ---- tokens ----

  private void enter(Token token) {
    if (++depth > MAX_DEPTH) {
      throw TraceQl.refused("nesting deeper than " + MAX_DEPTH + " levels", token.position());
    }
  }

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    Token token = tokens.get(at);
    if (token.kind() != Kind.END) {
      at++;
    }
    return token;
  }

  private void expect(Kind kind, String what) {
    Token token = next();
    if (token.kind() != kind) {
      throw unexpected(token, what);
    }
  }

  private static InvalidQueryException unexpected(Token token, String expected) {
    return new InvalidQueryException(
        "q",
        "expected "
            + expected
            + " at column "
            + token.position()
            + ", found "
            + (token.kind() == Kind.END ? "the end of the query" : quoted(token)));
  }

  private static String quoted(Token token) {
    return token.kind() == Kind.END ? "the end of the query" : "'" + token.text() + "'";
  }
}
