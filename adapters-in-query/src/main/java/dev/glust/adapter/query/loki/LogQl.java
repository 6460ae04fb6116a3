package dev.glust.adapter.query.loki;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The syntax tree of the LogQL subset Glust answers; {@link LogQlParser} builds it. */
final class LogQl {
  private LogQl() {}

  /** A whole query: a log query (streams) or a metric query (vectors, matrices, scalars). */
  sealed interface Expr permits LogExpr, MetricExpr {}

  /** {@code {selector} stages…}: the log lines of the streams the selector picks. */
  record LogExpr(List<Matcher> selector, List<Stage> stages) implements Expr {
    LogExpr {
      if (selector.isEmpty()) {
        throw new IllegalArgumentException("a stream selector needs at least one matcher");
      }
      selector = List.copyOf(selector);
      stages = List.copyOf(stages);
    }
  }

  sealed interface MetricExpr extends Expr
      permits RangeAggregation, VectorAggregation, Arithmetic, NumberLiteral, VectorLiteral {}

  /** {@code count_over_time(log [range])} and friends. */
  record RangeAggregation(RangeFunction function, LogExpr log, long rangeNanos)
      implements MetricExpr {
    RangeAggregation {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(log, "log");
      if (rangeNanos <= 0) {
        throw new IllegalArgumentException("a range must be positive");
      }
    }
  }

  enum RangeFunction {
    COUNT_OVER_TIME("count_over_time"),
    RATE("rate"),
    BYTES_OVER_TIME("bytes_over_time"),
    BYTES_RATE("bytes_rate");

    final String token;

    RangeFunction(String token) {
      this.token = token;
    }
  }

  /** {@code sum by (labels) (inner)}; {@code parameter} is topk's k (0 for the others). */
  record VectorAggregation(AggregationOp op, Grouping grouping, int parameter, MetricExpr inner)
      implements MetricExpr {
    VectorAggregation {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(grouping, "grouping");
      Objects.requireNonNull(inner, "inner");
    }
  }

  enum AggregationOp {
    SUM("sum"),
    AVG("avg"),
    MIN("min"),
    MAX("max"),
    COUNT("count"),
    TOPK("topk"),
    BOTTOMK("bottomk");

    final String token;

    AggregationOp(String token) {
      this.token = token;
    }
  }

  /** {@code by (a, b)} keeps only a and b; {@code without (a)} drops a; none drops all. */
  record Grouping(boolean without, List<String> labels) {
    static final Grouping NONE = new Grouping(false, List.of());

    Grouping {
      labels = List.copyOf(labels);
    }
  }

  /** {@code left op right} between scalars and vectors. */
  record Arithmetic(ArithmeticOp op, MetricExpr left, MetricExpr right) implements MetricExpr {
    Arithmetic {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  enum ArithmeticOp {
    ADD,
    SUBTRACT,
    MULTIPLY,
    DIVIDE,
    MODULO;

    double apply(double a, double b) {
      return switch (this) {
        case ADD -> a + b;
        case SUBTRACT -> a - b;
        case MULTIPLY -> a * b;
        case DIVIDE -> a / b;
        case MODULO -> a % b;
      };
    }
  }

  record NumberLiteral(double value) implements MetricExpr {}

  /** {@code vector(1)}: one sample without labels at every step. */
  record VectorLiteral(double value) implements MetricExpr {}

  /** One {@code name op "value"} of a stream selector or a label filter. */
  record Matcher(String name, MatchOp op, String value, Pattern pattern) {
    Matcher {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
      if ((op == MatchOp.REGEX || op == MatchOp.NOT_REGEX) && pattern == null) {
        throw new IllegalArgumentException("a regex matcher needs its pattern");
      }
    }

    /** Compiles a regex matcher's value, anchored at both ends as Loki does. */
    static Matcher of(String name, MatchOp op, String value) {
      boolean regex = op == MatchOp.REGEX || op == MatchOp.NOT_REGEX;
      return new Matcher(name, op, value, regex ? compile(value) : null);
    }

    /** A missing label matches as the empty string, as in Loki. */
    boolean matches(String labelValue) {
      String v = labelValue == null ? "" : labelValue;
      return switch (op) {
        case EQUAL -> v.equals(value);
        case NOT_EQUAL -> !v.equals(value);
        case REGEX -> pattern.matcher(v).matches();
        case NOT_REGEX -> !pattern.matcher(v).matches();
      };
    }
  }

  enum MatchOp {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    final String token;

    MatchOp(String token) {
      this.token = token;
    }
  }

  /** One step of a log pipeline. */
  sealed interface Stage permits LineFilter, ParserStage, LabelFilter, DropStage {}

  /** {@code |= "text"}, {@code != "text"}, {@code |~ "re"}, {@code !~ "re"} on the log line. */
  record LineFilter(boolean negated, boolean regex, String value, Pattern pattern)
      implements Stage {
    LineFilter {
      Objects.requireNonNull(value, "value");
      if (regex && pattern == null) {
        throw new IllegalArgumentException("a regex line filter needs its pattern");
      }
    }

    static LineFilter of(boolean negated, boolean regex, String value) {
      return new LineFilter(negated, regex, value, regex ? Pattern.compile(value) : null);
    }

    boolean keeps(String line) {
      boolean found = regex ? pattern.matcher(line).find() : line.contains(value);
      return found != negated;
    }
  }

  enum ParserKind {
    JSON,
    LOGFMT
  }

  /** {@code | json} or {@code | logfmt}: adds the line's fields as labels. */
  record ParserStage(ParserKind kind) implements Stage {}

  /** {@code | label op value}, combined with {@code and} / {@code or}. */
  record LabelFilter(LabelPredicate predicate) implements Stage {}

  /** {@code | drop a, b}: removes labels (Grafana's log volume drops {@code __error__}). */
  record DropStage(Set<String> labels) implements Stage {
    DropStage {
      labels = Set.copyOf(labels);
    }
  }

  sealed interface LabelPredicate
      permits StringComparison, NumberComparison, BothPredicates, EitherPredicate {}

  record StringComparison(Matcher matcher) implements LabelPredicate {}

  /** {@code status >= 500}: a label that is not a number fails it. */
  record NumberComparison(String name, Comparison comparison, double value)
      implements LabelPredicate {}

  enum Comparison {
    EQUAL("=="),
    NOT_EQUAL("!="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    LESS("<"),
    LESS_OR_EQUAL("<=");

    final String token;

    Comparison(String token) {
      this.token = token;
    }

    boolean test(double a, double b) {
      return switch (this) {
        case EQUAL -> a == b;
        case NOT_EQUAL -> a != b;
        case GREATER -> a > b;
        case GREATER_OR_EQUAL -> a >= b;
        case LESS -> a < b;
        case LESS_OR_EQUAL -> a <= b;
      };
    }
  }

  record BothPredicates(LabelPredicate left, LabelPredicate right) implements LabelPredicate {}

  record EitherPredicate(LabelPredicate left, LabelPredicate right) implements LabelPredicate {}

  private static Pattern compile(String regex) {
    return Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
  }

  /** Whether {@code regex} compiles; the parser turns a failure into a 400 at its position. */
  static String regexProblem(String regex) {
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return e.getDescription();
    }
  }
}
