package dev.glust.adapter.query.prometheus;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** A parsed PromQL expression (the supported subset; see docs/api.md, "Prometheus API"). */
sealed interface Expr {
  /** What an expression evaluates to, checked while parsing as Prometheus does. */
  enum Type {
    SCALAR,
    VECTOR,
    MATRIX,
    STRING
  }

  Type type();

  record NumberLiteral(double value) implements Expr {
    @Override
    public Type type() {
      return Type.SCALAR;
    }
  }

  record StringLiteral(String value) implements Expr {
    public StringLiteral {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Type type() {
      return Type.STRING;
    }
  }

  /** A label matcher; regular expressions are anchored at both ends, as in Prometheus. */
  record Matcher(String label, MatchOp op, String value, Pattern pattern) {
    public Matcher {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }

    static Matcher of(String label, MatchOp op, String value) {
      Pattern pattern =
          op == MatchOp.REGEX || op == MatchOp.NOT_REGEX
              ? Pattern.compile(value, Pattern.DOTALL)
              : null;
      return new Matcher(label, op, value, pattern);
    }

    /** Whether a series whose label is {@code actual} ("" when absent) matches. */
    boolean matches(String actual) {
      return switch (op) {
        case EQUAL -> actual.equals(value);
        case NOT_EQUAL -> !actual.equals(value);
        case REGEX -> regexMatches(actual);
        case NOT_REGEX -> !regexMatches(actual);
      };
    }

    /** Java's matcher recurses on some patterns; a value too long for it is a 400, not a 500. */
    private boolean regexMatches(String actual) {
      try {
        return pattern.matcher(actual).matches();
      } catch (StackOverflowError e) {
        throw new PromQueryException(
            "regular expression " + value + " is too complex for a label value it meets");
      }
    }
  }

  enum MatchOp {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    final String symbol;

    MatchOp(String symbol) {
      this.symbol = symbol;
    }
  }

  /** {@code name{matchers} offset d}; the name, when given, is one more matcher on __name__. */
  record VectorSelector(List<Matcher> matchers, long offsetNanos) implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    /** The metric name an equality matcher on {@code __name__} asks for, if one does. */
    Optional<String> metricName() {
      return matchers.stream()
          .filter(m -> m.label().equals(Labels.NAME) && m.op() == MatchOp.EQUAL)
          .map(Matcher::value)
          .findFirst();
    }

    @Override
    public Type type() {
      return Type.VECTOR;
    }
  }

  /** {@code selector[range]}: the samples of each series in {@code (t - range, t]}. */
  record MatrixSelector(VectorSelector selector, long rangeNanos) implements Expr {
    public MatrixSelector {
      Objects.requireNonNull(selector, "selector");
      if (rangeNanos <= 0) {
        throw new IllegalArgumentException("a range must be positive");
      }
    }

    @Override
    public Type type() {
      return Type.MATRIX;
    }
  }

  record Call(Function function, List<Expr> args) implements Expr {
    public Call {
      Objects.requireNonNull(function, "function");
      args = List.copyOf(args);
    }

    @Override
    public Type type() {
      return function.returns;
    }
  }

  /** {@code op by|without (labels) ([parameter,] expr)}. */
  record Aggregate(
      AggregateOp op, Optional<Expr> parameter, Expr expr, List<String> grouping, boolean without)
      implements Expr {
    public Aggregate {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(parameter, "parameter");
      Objects.requireNonNull(expr, "expr");
      grouping = List.copyOf(grouping);
    }

    @Override
    public Type type() {
      return Type.VECTOR;
    }
  }

  /** {@code lhs op [bool] rhs}; {@code bool} turns a comparison's filter into 0 or 1. */
  record Binary(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool) implements Expr {
    public Binary {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(lhs, "lhs");
      Objects.requireNonNull(rhs, "rhs");
    }

    @Override
    public Type type() {
      return lhs.type() == Type.SCALAR && rhs.type() == Type.SCALAR ? Type.SCALAR : Type.VECTOR;
    }
  }

  record Negation(Expr expr) implements Expr {
    public Negation {
      Objects.requireNonNull(expr, "expr");
    }

    @Override
    public Type type() {
      return expr.type();
    }
  }

  enum AggregateOp {
    SUM,
    AVG,
    MIN,
    MAX,
    COUNT,
    TOPK,
    BOTTOMK;

    boolean takesParameter() {
      return this == TOPK || this == BOTTOMK;
    }
  }

  enum BinaryOp {
    ADD("+", 4, false),
    SUB("-", 4, false),
    MUL("*", 5, false),
    DIV("/", 5, false),
    MOD("%", 5, false),
    POW("^", 6, false),
    EQL("==", 3, true),
    NEQ("!=", 3, true),
    GTR(">", 3, true),
    LSS("<", 3, true),
    GTE(">=", 3, true),
    LTE("<=", 3, true);

    final String symbol;
    final int precedence;
    final boolean comparison;

    BinaryOp(String symbol, int precedence, boolean comparison) {
      this.symbol = symbol;
      this.precedence = precedence;
      this.comparison = comparison;
    }

    double apply(double a, double b) {
      return switch (this) {
        case ADD -> a + b;
        case SUB -> a - b;
        case MUL -> a * b;
        case DIV -> a / b;
        case MOD -> a % b;
        case POW -> Math.pow(a, b);
        case EQL -> a == b ? 1 : 0;
        case NEQ -> a != b ? 1 : 0;
        case GTR -> a > b ? 1 : 0;
        case LSS -> a < b ? 1 : 0;
        case GTE -> a >= b ? 1 : 0;
        case LTE -> a <= b ? 1 : 0;
      };
    }
  }

  /** The supported functions with their argument and result types. */
  enum Function {
    RATE(Type.VECTOR, Type.MATRIX),
    IRATE(Type.VECTOR, Type.MATRIX),
    INCREASE(Type.VECTOR, Type.MATRIX),
    DELTA(Type.VECTOR, Type.MATRIX),
    AVG_OVER_TIME(Type.VECTOR, Type.MATRIX),
    SUM_OVER_TIME(Type.VECTOR, Type.MATRIX),
    MIN_OVER_TIME(Type.VECTOR, Type.MATRIX),
    MAX_OVER_TIME(Type.VECTOR, Type.MATRIX),
    COUNT_OVER_TIME(Type.VECTOR, Type.MATRIX),
    HISTOGRAM_QUANTILE(Type.VECTOR, Type.SCALAR, Type.VECTOR),
    VECTOR(Type.VECTOR, Type.SCALAR),
    SCALAR(Type.SCALAR, Type.VECTOR),
    TIME(Type.SCALAR),
    ABS(Type.VECTOR, Type.VECTOR),
    CEIL(Type.VECTOR, Type.VECTOR),
    FLOOR(Type.VECTOR, Type.VECTOR),
    ROUND(Type.VECTOR, Type.VECTOR),
    SQRT(Type.VECTOR, Type.VECTOR);

    final Type returns;
    final List<Type> parameters;

    Function(Type returns, Type... parameters) {
      this.returns = returns;
      this.parameters = List.of(parameters);
    }

    String promName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
