package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The right-hand side of a span condition. */
public sealed interface FieldValue
    permits FieldValue.Text,
        FieldValue.Regex,
        FieldValue.Number,
        FieldValue.Bool,
        FieldValue.Duration,
        FieldValue.Status,
        FieldValue.Kind,
        FieldValue.Nil {

  record Text(String value) implements FieldValue {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A regular expression, matched against the whole value (anchored at both ends, as Prometheus and
   * Tempo match); compiled once.
   */
  final class Regex implements FieldValue {
    private final String source;
    private final Pattern pattern;

    public Regex(String source) {
      this.source = Objects.requireNonNull(source, "source");
      try {
        this.pattern = Pattern.compile(source);
      } catch (PatternSyntaxException e) {
        throw new InvalidQueryException(
            "q", "invalid regular expression " + quoted(source) + ": " + e.getDescription());
      }
    }

    public String source() {
      return source;
    }

    public boolean matches(String text) {
      return pattern.matcher(text).matches();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Regex r && r.source.equals(source);
    }

    @Override
    public int hashCode() {
      return source.hashCode();
    }

    @Override
    public String toString() {
      return "Regex[" + source + "]";
    }
  }

  record Number(BigDecimal value) implements FieldValue {
    public Number {
      Objects.requireNonNull(value, "value");
    }
  }

  record Bool(boolean value) implements FieldValue {}

  record Duration(long nanos) implements FieldValue {}

  record Status(SpanStatus.Code code) implements FieldValue {
    public Status {
      Objects.requireNonNull(code, "code");
    }
  }

  record Kind(SpanKind kind) implements FieldValue {
    public Kind {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** Absence: {@code = nil} holds for a missing attribute, {@code != nil} for a present one. */
  record Nil() implements FieldValue {}

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
