package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.Expr.Aggregate;
import dev.glust.adapter.query.prometheus.Expr.AggregateOp;
import dev.glust.adapter.query.prometheus.Expr.Binary;
import dev.glust.adapter.query.prometheus.Expr.BinaryOp;
import dev.glust.adapter.query.prometheus.Expr.Call;
import dev.glust.adapter.query.prometheus.Expr.Function;
import dev.glust.adapter.query.prometheus.Expr.MatchOp;
import dev.glust.adapter.query.prometheus.Expr.Matcher;
import dev.glust.adapter.query.prometheus.Expr.MatrixSelector;
import dev.glust.adapter.query.prometheus.Expr.Negation;
import dev.glust.adapter.query.prometheus.Expr.NumberLiteral;
import dev.glust.adapter.query.prometheus.Expr.StringLiteral;
import dev.glust.adapter.query.prometheus.Expr.Type;
import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.adapter.query.prometheus.PromLexer.Kind;
import dev.glust.adapter.query.prometheus.PromLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent parser for Glust's PromQL subset, with Prometheus' operator precedence
 * ({@code ^} binds tightest and to the right, then unary minus, {@code * / %}, {@code + -}, then
 * comparisons) and its type checks (a function gets the argument types it takes). Anything outside
 * the subset is refused with the construct's name and position.
 *
 * <pre>
 * expr       = binary(1)
 * binary(p)  = unary { op(precedence ≥ p) ["bool"] binary(precedence + 1) }
 * unary      = ("-" | "+") unary | power
 * power      = postfix ["^" ["bool"] unary]
 * postfix    = primary ["[" duration "]"] ["offset" ["-"] duration]
 * primary    = number | string | "(" expr ")" | aggregate | call | selector
 * aggregate  = aggop [grouping] "(" [expr ","] expr ")" [grouping]
 * grouping   = ("by" | "without") "(" [label {"," label}] ")"
 * selector   = name ["{" matchers "}"] | "{" matchers "}"
 * </pre>
 */
final class PromParser {
  /** Longest query text parsed (Grafana's longest generated queries are far shorter). */
  static final int MAX_LENGTH = 16_384;

  /** Nesting beyond this is refused rather than risking the stack. */
  private static final int MAX_DEPTH = 100;

  private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
  private static final Set<String> MATCHING_KEYWORDS =
      Set.of("on", "ignoring", "group_left", "group_right");
  private static final Set<String> UNSUPPORTED_AGGREGATIONS =
      Set.of("stddev", "stdvar", "count_values", "quantile", "group", "limitk", "limit_ratio");

  private final List<Token> tokens;
  private int index;
  private int depth;

  private PromParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static Expr parse(String query) {
    if (query.length() > MAX_LENGTH) {
      throw new PromQueryException("query is longer than " + MAX_LENGTH + " characters");
    }
    if (query.isBlank()) {
      throw PromQueryException.at(0, "no expression found in input");
    }
    PromParser parser = new PromParser(PromLexer.tokens(query));
    Expr expr = parser.binary(1);
    Token rest = parser.peek();
    if (rest.kind() != Kind.END) {
      throw parser.unexpected(rest, "end of input");
    }
    return expr;
  }

  /** A series selector alone ({@code match[]} of the metadata endpoints). */
  static VectorSelector parseSelector(String text) {
    Expr expr = parse(text);
    if (expr instanceof VectorSelector selector) {
      return selector;
    }
    throw PromQueryException.at(0, "expected a series selector such as up{job=\"x\"}");
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token peekAhead() {
    return tokens.get(Math.min(index + 1, tokens.size() - 1));
  }

  private Token advance() {
    Token t = tokens.get(index);
    if (t.kind() != Kind.END) {
      index++;
    }
    return t;
  }

  private Token expect(String operator) {
    Token t = peek();
    if (!t.is(operator)) {
      throw unexpected(t, "\"" + operator + "\"");
    }
    return advance();
  }

  private PromQueryException unexpected(Token t, String expected) {
    return PromQueryException.at(
        t.position(), "unexpected " + t.describe() + ", expected " + expected);
  }

  private void enter(Token at) {
    if (++depth > MAX_DEPTH) {
      throw PromQueryException.at(at.position(), "expression nested too deeply");
    }
  }

  private Expr binary(int minPrecedence) {
    enter(peek());
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.IDENTIFIER
          && SET_OPERATORS.contains(t.text().toLowerCase(Locale.ROOT))) {
        throw PromQueryException.unsupported(t.position(), "the set operator \"" + t.text() + "\"");
      }
      if (t.isKeyword("atan2")) {
        throw PromQueryException.unsupported(t.position(), "the operator \"atan2\"");
      }
      BinaryOp op = binaryOp(t);
      if (op == null || op == BinaryOp.POW || op.precedence < minPrecedence) {
        depth--;
        return lhs;
      }
      advance();
      boolean returnBool = bool(op);
      Expr rhs = binary(op.precedence + 1);
      lhs = checkedBinary(op, lhs, rhs, returnBool, t);
    }
  }

  private boolean bool(BinaryOp op) {
    Token t = peek();
    boolean returnBool = false;
    if (t.isKeyword("bool")) {
      if (!op.comparison) {
        throw PromQueryException.at(t.position(), "bool modifier can only be used on comparisons");
      }
      advance();
      returnBool = true;
      t = peek();
    }
    if (t.kind() == Kind.IDENTIFIER
        && MATCHING_KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))
        && peekAhead().is("(")) {
      throw PromQueryException.unsupported(
          t.position(), "vector matching with \"" + t.text() + "\"");
    }
    return returnBool;
  }

  private static BinaryOp binaryOp(Token t) {
    if (t.kind() != Kind.OPERATOR) {
      return null;
    }
    for (BinaryOp op : BinaryOp.values()) {
      if (op.symbol.equals(t.text())) {
        return op;
      }
    }
    return null;
  }

  private Expr checkedBinary(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, Token at) {
    for (Expr side : List.of(lhs, rhs)) {
      if (side.type() != Type.SCALAR && side.type() != Type.VECTOR) {
        throw PromQueryException.at(
            at.position(),
            "binary expression must contain only scalar and instant vector types, got "
                + typeName(side.type()));
      }
    }
    if (op.comparison && !returnBool && lhs.type() == Type.SCALAR && rhs.type() == Type.SCALAR) {
      throw PromQueryException.at(
          at.position(), "comparisons between scalars must use BOOL modifier");
    }
    return new Binary(op, lhs, rhs, returnBool);
  }

  private Expr unary() {
    Token t = peek();
    if (t.is("-") || t.is("+")) {
      advance();
      enter(t);
      Expr operand = unary();
      depth--;
      if (operand.type() != Type.SCALAR && operand.type() != Type.VECTOR) {
        throw PromQueryException.at(
            t.position(), "unary expression only allowed on expressions of type scalar or vector");
      }
      if (t.is("+")) {
        return operand;
      }
      return operand instanceof NumberLiteral n
          ? new NumberLiteral(-n.value())
          : new Negation(operand);
    }
    return power();
  }

  private Expr power() {
    Expr base = postfix();
    Token t = peek();
    if (t.is("^")) {
      advance();
      enter(t);
      Expr exponent = unary();
      depth--;
      return checkedBinary(BinaryOp.POW, base, exponent, false, t);
    }
    return base;
  }

  private Expr postfix() {
    Token start = peek();
    Expr expr = primary();
    if (peek().is("[")) {
      Token open = advance();
      if (!(expr instanceof VectorSelector selector)) {
        throw PromQueryException.unsupported(
            open.position(), "a range on anything but a series selector (a subquery)");
      }
      long range = durationNanos(advance(), "a range duration such as 5m");
      if (peek().is(":")) {
        throw PromQueryException.unsupported(peek().position(), "a subquery");
      }
      expect("]");
      expr = new MatrixSelector(selector, range);
    }
    if (peek().isKeyword("offset")) {
      Token offsetToken = advance();
      boolean negative = false;
      if (peek().is("-")) {
        advance();
        negative = true;
      }
      long offset = durationNanos(advance(), "an offset duration such as 5m");
      expr = withOffset(expr, negative ? -offset : offset, offsetToken);
    }
    if (peek().is("@")) {
      throw PromQueryException.unsupported(peek().position(), "the @ modifier");
    }
    if (peek().is("[")) {
      throw PromQueryException.unsupported(peek().position(), "a subquery");
    }
    if (expr == null) {
      throw unexpected(start, "an expression");
    }
    return expr;
  }

  private static Expr withOffset(Expr expr, long offset, Token at) {
    if (expr instanceof VectorSelector v) {
      if (v.offsetNanos() != 0) {
        throw PromQueryException.at(at.position(), "offset may not be set multiple times");
      }
      return new VectorSelector(v.matchers(), offset);
    }
    if (expr instanceof MatrixSelector m) {
      if (m.selector().offsetNanos() != 0) {
        throw PromQueryException.at(at.position(), "offset may not be set multiple times");
      }
      return new MatrixSelector(
          new VectorSelector(m.selector().matchers(), offset), m.rangeNanos());
    }
    throw PromQueryException.at(
        at.position(), "offset modifier must be preceded by an instant vector selector or range");
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER:
        advance();
        return new NumberLiteral(number(t));
      case STRING:
        advance();
        return new StringLiteral(t.text());
      case DURATION:
        throw PromQueryException.at(
            t.position(), "unexpected duration \"" + t.text() + "\" outside a range or offset");
      case END:
        throw unexpected(t, "an expression");
      case OPERATOR:
        if (t.is("(")) {
          advance();
          Expr inner = binary(1);
          expect(")");
          return inner;
        }
        if (t.is("{")) {
          return selector(null, t);
        }
        throw unexpected(t, "an expression");
      case IDENTIFIER:
      default:
        return identifier(t);
    }
  }

  private Expr identifier(Token t) {
    String name = t.text();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("nan")) {
      advance();
      return new NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
    }
    AggregateOp aggregate = aggregateOp(lower);
    Token next = peekAhead();
    boolean grouped = next.isKeyword("by") || next.isKeyword("without");
    if (aggregate != null && (next.is("(") || grouped)) {
      return aggregate(aggregate, t);
    }
    if (UNSUPPORTED_AGGREGATIONS.contains(lower) && (next.is("(") || grouped)) {
      throw PromQueryException.unsupported(t.position(), "the aggregation \"" + name + "\"");
    }
    if (next.is("(")) {
      return call(t);
    }
    advance();
    return selector(name, t);
  }

  private static AggregateOp aggregateOp(String lower) {
    for (AggregateOp op : AggregateOp.values()) {
      if (op.name().toLowerCase(Locale.ROOT).equals(lower)) {
        return op;
      }
    }
    return null;
  }

  private Expr aggregate(AggregateOp op, Token at) {
    advance();
    List<String> grouping = List.of();
    boolean without = false;
    boolean groupedBefore = false;
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      without = advance().isKeyword("without");
      grouping = labelList();
      groupedBefore = true;
    }
    expect("(");
    Optional<Expr> parameter = Optional.empty();
    Expr expr = binary(1);
    if (peek().is(",")) {
      Token comma = advance();
      if (!op.takesParameter()) {
        throw PromQueryException.at(
            comma.position(), "aggregation " + name(op) + " takes one argument, got two");
      }
      parameter = Optional.of(expr);
      expr = binary(1);
    }
    expect(")");
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      if (groupedBefore) {
        throw PromQueryException.at(peek().position(), "grouping given twice");
      }
      without = advance().isKeyword("without");
      grouping = labelList();
    }
    if (op.takesParameter()) {
      if (parameter.isEmpty()) {
        throw PromQueryException.at(
            at.position(), "aggregation " + name(op) + " needs a parameter, as in topk(5, …)");
      }
      requireType(parameter.get(), Type.SCALAR, "parameter of " + name(op), at);
    }
    requireType(expr, Type.VECTOR, "expression of " + name(op), at);
    return new Aggregate(op, parameter, expr, grouping, without);
  }

  private static String name(AggregateOp op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  private List<String> labelList() {
    expect("(");
    List<String> labels = new ArrayList<>();
    while (!peek().is(")")) {
      Token label = advance();
      if (label.kind() != Kind.IDENTIFIER || label.text().contains(":")) {
        throw unexpected(label, "a label name");
      }
      labels.add(label.text());
      if (!peek().is(")")) {
        expect(",");
      }
    }
    expect(")");
    return labels;
  }

  private Expr call(Token nameToken) {
    advance();
    Function function = function(nameToken);
    expect("(");
    List<Expr> args = new ArrayList<>();
    while (!peek().is(")")) {
      args.add(binary(1));
      if (!peek().is(")")) {
        expect(",");
      }
    }
    expect(")");
    if (args.size() != function.parameters.size()) {
      throw PromQueryException.at(
          nameToken.position(),
          "function \""
              + function.promName()
              + "\" takes "
              + function.parameters.size()
              + " argument(s), got "
              + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      requireType(
          args.get(i),
          function.parameters.get(i),
          "argument " + (i + 1) + " of " + function.promName(),
          nameToken);
    }
    return new Call(function, args);
  }

  private static Function function(Token nameToken) {
    for (Function f : Function.values()) {
      if (f.promName().equals(nameToken.text())) {
        return f;
      }
    }
    throw PromQueryException.unsupported(
        nameToken.position(), "the function \"" + nameToken.text() + "\"");
  }

  private static void requireType(Expr expr, Type expected, String what, Token at) {
    if (expr.type() != expected) {
      throw PromQueryException.at(
          at.position(),
          "expected type " + typeName(expected) + " in " + what + ", got " + typeName(expr.type()));
    }
  }

  static String typeName(Type type) {
    return switch (type) {
      case SCALAR -> "scalar";
      case VECTOR -> "instant vector";
      case MATRIX -> "range vector";
      case STRING -> "string";
    };
  }

  private Expr selector(String name, Token at) {
    List<Matcher> matchers = new ArrayList<>();
    if (name != null) {
      matchers.add(Matcher.of(Labels.NAME, MatchOp.EQUAL, name));
    }
    if (peek().is("{")) {
      advance();
      while (!peek().is("}")) {
        matchers.add(matcher());
        if (!peek().is("}")) {
          expect(",");
        }
      }
      expect("}");
    }
    if (matchers.stream().noneMatch(m -> !m.matches(""))) {
      throw PromQueryException.at(
          at.position(), "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(matchers, 0);
  }

  private Matcher matcher() {
    Token label = advance();
    if (label.kind() == Kind.STRING) {
      // a quoted metric name alone ({"my.metric"}), as Prometheus 3 allows
      if (peek().is(",") || peek().is("}")) {
        return Matcher.of(Labels.NAME, MatchOp.EQUAL, label.text());
      }
    } else if (label.kind() != Kind.IDENTIFIER) {
      throw unexpected(label, "a label name");
    }
    Token opToken = advance();
    MatchOp op = null;
    for (MatchOp candidate : MatchOp.values()) {
      if (opToken.is(candidate.symbol)) {
        op = candidate;
      }
    }
    if (op == null) {
      throw unexpected(opToken, "a label matching operator (=, !=, =~, !~)");
    }
    Token value = advance();
    if (value.kind() != Kind.STRING) {
      throw unexpected(value, "a quoted label value");
    }
    try {
      return Matcher.of(label.text(), op, value.text());
    } catch (PatternSyntaxException e) {
      throw PromQueryException.at(
          value.position(), "invalid regular expression: " + e.getDescription());
    } catch (StackOverflowError e) {
      throw PromQueryException.at(value.position(), "regular expression too complex");
    }
  }

  private static double number(Token t) {
    String text = t.text();
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return Long.parseUnsignedLong(text.substring(2), 16);
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw PromQueryException.at(t.position(), "bad number \"" + text + "\"");
    }
  }

  private long durationNanos(Token t, String expected) {
    if (t.kind() != Kind.DURATION) {
      throw unexpected(t, expected);
    }
    long nanos = PromDurations.parse(t.text(), t.position());
    if (nanos <= 0) {
      throw PromQueryException.at(t.position(), "duration must be greater than 0");
    }
    return nanos;
  }
}
