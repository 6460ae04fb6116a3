package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.AggregationOp;
import dev.glust.adapter.query.loki.LogQl.Arithmetic;
import dev.glust.adapter.query.loki.LogQl.ArithmeticOp;
import dev.glust.adapter.query.loki.LogQl.BothPredicates;
import dev.glust.adapter.query.loki.LogQl.Comparison;
import dev.glust.adapter.query.loki.LogQl.DropStage;
import dev.glust.adapter.query.loki.LogQl.EitherPredicate;
import dev.glust.adapter.query.loki.LogQl.Expr;
import dev.glust.adapter.query.loki.LogQl.Grouping;
import dev.glust.adapter.query.loki.LogQl.LabelFilter;
import dev.glust.adapter.query.loki.LogQl.LabelPredicate;
import dev.glust.adapter.query.loki.LogQl.LineFilter;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.MetricExpr;
import dev.glust.adapter.query.loki.LogQl.NumberComparison;
import dev.glust.adapter.query.loki.LogQl.NumberLiteral;
import dev.glust.adapter.query.loki.LogQl.ParserKind;
import dev.glust.adapter.query.loki.LogQl.ParserStage;
import dev.glust.adapter.query.loki.LogQl.RangeAggregation;
import dev.glust.adapter.query.loki.LogQl.RangeFunction;
import dev.glust.adapter.query.loki.LogQl.Stage;
import dev.glust.adapter.query.loki.LogQl.StringComparison;
import dev.glust.adapter.query.loki.LogQl.VectorAggregation;
import dev.glust.adapter.query.loki.LogQl.VectorLiteral;
import dev.glust.adapter.query.loki.LogQlLexer.Kind;
import dev.glust.adapter.query.loki.LogQlLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser of the LogQL subset:
 *
 * <pre>
 * query      = expr END
 * expr       = term { ("+" | "-") term }
 * term       = unary { ("*" | "/" | "%") unary }
 * unary      = "-" unary | primary
 * primary    = NUMBER | "(" expr ")" | log | function
 * function   = RANGE_FN "(" log "[" DURATION "]" ")"
 *            | AGG_OP [grouping] "(" [NUMBER ","] expr ")" [grouping]
 *            | "vector" "(" NUMBER ")"
 * grouping   = ("by" | "without") "(" [IDENT {"," IDENT}] ")"
 * log        = "{" matcher {"," matcher} "}" { stage }
 * matcher    = IDENT ("=" | "!=" | "=~" | "!~") STRING
 * stage      = ("|=" | "!=" | "|~" | "!~") STRING
 *            | "|" ("json" | "logfmt") | "|" "drop" IDENT {"," IDENT} | "|" predicate
 * predicate  = conjunct { "or" conjunct }
 * conjunct   = atom { ("and" | ",") atom }
 * atom       = "(" predicate ")" | IDENT ("=" | "!=" | "=~" | "!~") STRING
 *            | IDENT ("==" | "=" | "!=" | ">" | ">=" | "<" | "<=") NUMBER
 * </pre>
 *
 * Everything else is refused naming the construct and where it stands.
 */
final class LogQlParser {
  /** LogQL's other functions and stages: named in the refusal, so nobody mistakes it for a typo. */
  private static final Set<String> UNSUPPORTED_FUNCTIONS =
      Set.of(
          "sum_over_time",
          "avg_over_time",
          "max_over_time",
          "min_over_time",
          "first_over_time",
          "last_over_time",
          "stdvar_over_time",
          "stddev_over_time",
          "quantile_over_time",
          "absent_over_time",
          "rate_counter",
          "stddev",
          "stdvar",
          "sort",
          "sort_desc",
          "label_replace",
          "approx_topk");

  private static final Set<String> UNSUPPORTED_STAGES =
      Set.of(
          "line_format",
          "label_format",
          "pattern",
          "regexp",
          "unpack",
          "keep",
          "decolorize",
          "unwrap",
          "distinct",
          "ip");

  /** Queries longer than this are refused before parsing: nobody types them, a fuzzer might. */
  static final int MAX_QUERY_LENGTH = 16_384;

  /** Nesting deeper than this is refused instead of exhausting the stack. */
  private static final int MAX_DEPTH = 64;

  private final String query;
  private final List<Token> tokens;
  private int index;
  private int depth;

  private LogQlParser(String query) {
    this.query = query;
    this.tokens = LogQlLexer.tokens(query);
  }

  static Expr parse(String query) {
    if (query == null || query.isBlank()) {
      throw new LogQlException("query is required");
    }
    if (query.length() > MAX_QUERY_LENGTH) {
      throw new LogQlException("query is longer than " + MAX_QUERY_LENGTH + " characters");
    }
    LogQlParser parser = new LogQlParser(query);
    Expr expr = parser.expr();
    parser.expect(Kind.END, "end of query");
    return expr;
  }

  /** A query that must be a log query (tail, series, labels' {@code query}). */
  static LogExpr parseLog(String query) {
    if (parse(query) instanceof LogExpr log) {
      return log;
    }
    throw new LogQlException("a log query (a stream selector and its pipeline) is expected here");
  }

  private Expr expr() {
    enter();
    Expr left = term();
    while (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
      Token op = next();
      Expr right = term();
      left =
          arithmetic(
              op, op.kind() == Kind.PLUS ? ArithmeticOp.ADD : ArithmeticOp.SUBTRACT, left, right);
    }
    depth--;
    return left;
  }

  private Expr term() {
    Expr left = unary();
    while (true) {
      Kind kind = peek().kind();
      ArithmeticOp op =
          switch (kind) {
            case STAR -> ArithmeticOp.MULTIPLY;
            case SLASH -> ArithmeticOp.DIVIDE;
            case PERCENT -> ArithmeticOp.MODULO;
            case CARET -> throw unsupported(peek(), "the power operator ^");
            case DOUBLE_EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL ->
                throw unsupported(peek(), "comparison operators between vectors");
            default -> null;
          };
      if (op == null) {
        return left;
      }
      Token token = next();
      left = arithmetic(token, op, left, unary());
    }
  }

  private Expr unary() {
    if (peek().kind() == Kind.MINUS) {
      Token minus = next();
      enter();
      Expr operand = unary();
      depth--;
      return arithmetic(minus, ArithmeticOp.SUBTRACT, new NumberLiteral(0), operand);
    }
    return primary();
  }

  private Expr arithmetic(Token at, ArithmeticOp op, Expr left, Expr right) {
    return new Arithmetic(op, metric(at, left), metric(at, right));
  }

  private MetricExpr metric(Token at, Expr expr) {
    if (expr instanceof MetricExpr metric) {
      return metric;
    }
    throw LogQlException.at(
        query,
        at.position(),
        "a log query cannot be used here; wrap it in a range function such as count_over_time");
  }

  private Expr primary() {
    Token token = peek();
    switch (token.kind()) {
      case NUMBER:
        next();
        return new NumberLiteral(number(token));
      case OPEN_PAREN:
        next();
        Expr inner = expr();
        expect(Kind.CLOSE_PAREN, "')'");
        return inner;
      case OPEN_BRACE:
        return log();
      case IDENTIFIER:
        return function();
      default:
        throw unexpected(token, "a stream selector, a number or a function");
    }
  }

  private Expr function() {
    Token name = next();
    String word = name.text();
    for (RangeFunction f : RangeFunction.values()) {
      if (f.token.equals(word)) {
        expect(Kind.OPEN_PAREN, "'(' after " + word);
        LogExpr log = log();
        expect(Kind.OPEN_BRACKET, "a range such as [5m] after the log query");
        long range = duration(expect(Kind.DURATION, "a duration such as 5m"));
        expect(Kind.CLOSE_BRACKET, "']'");
        if (peek().kind() == Kind.IDENTIFIER && peek().text().equals("offset")) {
          throw unsupported(peek(), "offset");
        }
        expect(Kind.CLOSE_PAREN, "')'");
        return new RangeAggregation(f, log, range);
      }
    }
    for (AggregationOp op : AggregationOp.values()) {
      if (op.token.equals(word)) {
        return aggregation(op);
      }
    }
    if (word.equals("vector")) {
      expect(Kind.OPEN_PAREN, "'(' after vector");
      Token value = expect(Kind.NUMBER, "a number");
      expect(Kind.CLOSE_PAREN, "')'");
      return new VectorLiteral(number(value));
    }
    if (UNSUPPORTED_FUNCTIONS.contains(word)) {
      throw unsupported(name, word);
    }
    throw unexpected(name, "a stream selector, a number or a function");
  }

  private Expr aggregation(AggregationOp op) {
    Grouping grouping = grouping();
    expect(Kind.OPEN_PAREN, "'(' after " + op.token);
    int parameter = 0;
    boolean takesParameter = op == AggregationOp.TOPK || op == AggregationOp.BOTTOMK;
    if (takesParameter) {
      Token k = expect(Kind.NUMBER, "the number of series " + op.token + " keeps");
      double value = number(k);
      if (value < 1 || value > 10_000 || value != Math.rint(value)) {
        throw LogQlException.at(
            query, k.position(), op.token + " needs a whole number between 1 and 10000");
      }
      parameter = (int) value;
      expect(Kind.COMMA, "',' after the parameter");
    }
    Token at = peek();
    MetricExpr inner = metric(at, expr());
    expect(Kind.CLOSE_PAREN, "')'");
    if (grouping == Grouping.NONE) {
      grouping = grouping();
    }
    return new VectorAggregation(op, grouping, parameter, inner);
  }

  private Grouping grouping() {
    Token token = peek();
    if (token.kind() != Kind.IDENTIFIER
        || !(token.text().equals("by") || token.text().equals("without"))) {
      return Grouping.NONE;
    }
    next();
    expect(Kind.OPEN_PAREN, "'(' after " + token.text());
    List<String> labels = new ArrayList<>();
    if (peek().kind() != Kind.CLOSE_PAREN) {
      labels.add(expect(Kind.IDENTIFIER, "a label name").text());
      while (peek().kind() == Kind.COMMA) {
        next();
        labels.add(expect(Kind.IDENTIFIER, "a label name").text());
      }
    }
    expect(Kind.CLOSE_PAREN, "')'");
    return new Grouping(token.text().equals("without"), labels);
  }

  private LogExpr log() {
    Token open = expect(Kind.OPEN_BRACE, "a stream selector such as {service_name=\"api\"}");
    List<Matcher> selector = new ArrayList<>();
    if (peek().kind() == Kind.CLOSE_BRACE) {
      throw LogQlException.at(
          query, open.position(), "a stream selector needs at least one label matcher");
    }
    selector.add(matcher());
    while (peek().kind() == Kind.COMMA) {
      next();
      selector.add(matcher());
    }
    expect(Kind.CLOSE_BRACE, "'}' or ','");
    if (selector.stream().allMatch(m -> m.matches(""))) {
      throw LogQlException.at(
          query,
          open.position(),
          "queries require at least one matcher that does not match the empty string,"
              + " such as service_name=\"api\" or service_name=~\".+\"");
    }
    List<Stage> stages = new ArrayList<>();
    while (true) {
      Token token = peek();
      switch (token.kind()) {
        case PIPE_EXACT, NOT_EQUAL, PIPE_REGEX, NOT_REGEX -> stages.add(lineFilter());
        case PIPE -> stages.add(stage());
        default -> {
          return new LogExpr(selector, stages);
        }
      }
    }
  }

  private Matcher matcher() {
    Token name = expect(Kind.IDENTIFIER, "a label name");
    Token op = next();
    MatchOp matchOp = matchOp(op);
    if (matchOp == null) {
      throw unexpected(op, "=, !=, =~ or !~");
    }
    Token value = expect(Kind.STRING, "a quoted label value");
    return compiled(name.text(), matchOp, value);
  }

  private Matcher compiled(String name, MatchOp op, Token value) {
    if (op == MatchOp.REGEX || op == MatchOp.NOT_REGEX) {
      checkRegex(value);
    }
    return Matcher.of(name, op, value.text());
  }

  private void checkRegex(Token value) {
    String problem = LogQl.regexProblem(value.text());
    if (problem != null) {
      throw LogQlException.at(query, value.position(), "invalid regex: " + problem);
    }
  }

  private static MatchOp matchOp(Token op) {
    return switch (op.kind()) {
      case EQUAL -> MatchOp.EQUAL;
      case NOT_EQUAL -> MatchOp.NOT_EQUAL;
      case REGEX -> MatchOp.REGEX;
      case NOT_REGEX -> MatchOp.NOT_REGEX;
      default -> null;
    };
  }

  private LineFilter lineFilter() {
    Token op = next();
    Token value = expect(Kind.STRING, "a quoted string after " + op.text());
    if (peek().kind() == Kind.IDENTIFIER && peek().text().equals("or")) {
      throw unsupported(peek(), "'or' between line filters");
    }
    boolean regex = op.kind() == Kind.PIPE_REGEX || op.kind() == Kind.NOT_REGEX;
    if (regex) {
      checkRegex(value);
    }
    boolean negated = op.kind() == Kind.NOT_EQUAL || op.kind() == Kind.NOT_REGEX;
    return LineFilter.of(negated, regex, value.text());
  }

  private Stage stage() {
    next(); // the pipe
    Token token = peek();
    if (token.kind() != Kind.IDENTIFIER) {
      throw unexpected(token, "a parser (json, logfmt), drop or a label filter after '|'");
    }
    Kind after = peekAt(1).kind();
    boolean filter =
        after == Kind.EQUAL
            || after == Kind.NOT_EQUAL
            || after == Kind.REGEX
            || after == Kind.NOT_REGEX
            || after == Kind.DOUBLE_EQUAL
            || after == Kind.GREATER
            || after == Kind.GREATER_OR_EQUAL
            || after == Kind.LESS
            || after == Kind.LESS_OR_EQUAL;
    if (filter) {
      return new LabelFilter(predicate());
    }
    switch (token.text()) {
      case "json", "logfmt" -> {
        next();
        if (peek().kind() == Kind.IDENTIFIER && !isKeywordAfterStage(peek().text())) {
          throw unsupported(peek(), token.text() + " with parameters (" + peek().text() + ")");
        }
        return new ParserStage(token.text().equals("json") ? ParserKind.JSON : ParserKind.LOGFMT);
      }
      case "drop" -> {
        next();
        Set<String> labels = new LinkedHashSet<>();
        labels.add(expect(Kind.IDENTIFIER, "a label name after drop").text());
        while (peek().kind() == Kind.COMMA) {
          next();
          labels.add(expect(Kind.IDENTIFIER, "a label name").text());
        }
        if (matchOp(peek()) != null) {
          throw unsupported(peek(), "drop with a matcher");
        }
        return new DropStage(labels);
      }
      default -> {
        if (UNSUPPORTED_STAGES.contains(token.text())) {
          throw unsupported(token, "the " + token.text() + " stage");
        }
        throw unexpected(token, "a parser (json, logfmt), drop or a label filter after '|'");
      }
    }
  }

  /** Words that may follow a stage without being its parameters. */
  private static boolean isKeywordAfterStage(String word) {
    return word.equals("by") || word.equals("without") || word.equals("offset");
  }

  private LabelPredicate predicate() {
    enter();
    LabelPredicate left = conjunct();
    while (peek().kind() == Kind.IDENTIFIER && peek().text().equals("or")) {
      next();
      left = new EitherPredicate(left, conjunct());
    }
    depth--;
    return left;
  }

  private LabelPredicate conjunct() {
    LabelPredicate left = atom();
    while ((peek().kind() == Kind.IDENTIFIER && peek().text().equals("and"))
        || peek().kind() == Kind.COMMA) {
      next();
      left = new BothPredicates(left, atom());
    }
    return left;
  }

  private LabelPredicate atom() {
    if (peek().kind() == Kind.OPEN_PAREN) {
      next();
      LabelPredicate inner = predicate();
      expect(Kind.CLOSE_PAREN, "')'");
      return inner;
    }
    Token name = expect(Kind.IDENTIFIER, "a label name");
    Token op = next();
    Token value = next();
    if (value.kind() == Kind.STRING) {
      MatchOp matchOp = matchOp(op);
      if (matchOp == null) {
        throw unexpected(op, "=, !=, =~ or !~ before a string");
      }
      return new StringComparison(compiled(name.text(), matchOp, value));
    }
    if (value.kind() == Kind.NUMBER) {
      Comparison comparison =
          switch (op.kind()) {
            case EQUAL, DOUBLE_EQUAL -> Comparison.EQUAL;
            case NOT_EQUAL -> Comparison.NOT_EQUAL;
            case GREATER -> Comparison.GREATER;
            case GREATER_OR_EQUAL -> Comparison.GREATER_OR_EQUAL;
            case LESS -> Comparison.LESS;
            case LESS_OR_EQUAL -> Comparison.LESS_OR_EQUAL;
            default -> throw unexpected(op, "a comparison before a number");
          };
      return new NumberComparison(name.text(), comparison, number(value));
    }
    if (value.kind() == Kind.DURATION) {
      throw unsupported(value, "a duration or byte-size label filter");
    }
    throw unexpected(value, "a quoted string or a number");
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw LogQlException.at(
          query, peek().position(), "the query nests deeper than " + MAX_DEPTH + " levels");
    }
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token token = tokens.get(index);
    if (token.kind() != Kind.END) {
      index++;
    }
    return token;
  }

  private Token expect(Kind kind, String what) {
    Token token = peek();
    if (token.kind() != kind) {
      throw unexpected(token, what);
    }
    return next();
  }

  private LogQlException unexpected(Token token, String expected) {
    String found = token.kind() == Kind.END ? "end of query" : "'" + token.text() + "'";
    return LogQlException.at(
        query, token.position(), "syntax error: unexpected " + found + ", expected " + expected);
  }

  private LogQlException unsupported(Token token, String construct) {
    return LogQlException.at(
        query, token.position(), construct + " is not supported by Glust's LogQL subset");
  }

  private double number(Token token) {
    try {
      return Double.parseDouble(token.text());
    } catch (NumberFormatException e) {
      throw LogQlException.at(query, token.position(), "not a number: " + token.text());
    }
  }

  private long duration(Token token) {
    try {
      return LokiTimes.parseDuration(token.text());
    } catch (LogQlException e) {
      throw LogQlException.at(query, token.position(), e.getMessage());
    }
  }
}
