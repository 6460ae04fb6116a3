package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.trace.Span;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** A test of one span (inside a spanset filter {@code { … }}), given facts about its trace. */
public sealed interface SpanCondition
    permits SpanCondition.Compare, SpanCondition.All, SpanCondition.Any, SpanCondition.Always {

  boolean test(Span span, TraceFacts trace);

  /** Every span: {@code {}} and {@code { true }}. */
  record Always() implements SpanCondition {
    @Override
    public boolean test(Span span, TraceFacts trace) {
      return true;
    }
  }

  /** {@code a && b && …}. */
  record All(List<SpanCondition> conditions) implements SpanCondition {
    public All {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(Span span, TraceFacts trace) {
      return conditions.stream().allMatch(c -> c.test(span, trace));
    }
  }

  /** {@code a || b || …}. */
  record Any(List<SpanCondition> conditions) implements SpanCondition {
    public Any {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(Span span, TraceFacts trace) {
      return conditions.stream().anyMatch(c -> c.test(span, trace));
    }
  }

  /**
   * {@code field op value}. A comparison with a missing attribute, or with one of another type than
   * the value's, does not hold ({@code !=} included), as in Tempo; {@code = nil} and {@code != nil}
   * test presence. Combinations that mean nothing are refused when built, naming them.
   */
  record Compare(SpanField field, Comparison op, FieldValue value) implements SpanCondition {
    public Compare {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
      if (op.isRegex() && value instanceof FieldValue.Text text) {
        value = new FieldValue.Regex(text.value());
      }
      refuseMeaningless(field, op, value);
    }

    private static void refuseMeaningless(SpanField field, Comparison op, FieldValue value) {
      String what = describe(field) + " " + op.symbol() + " " + describe(value);
      if (op.isRegex() != (value instanceof FieldValue.Regex)) {
        throw unsupported(what, "=~ and !~ take a string, and a string regex needs =~ or !~");
      }
      boolean equalityOnly =
          value instanceof FieldValue.Bool
              || value instanceof FieldValue.Status
              || value instanceof FieldValue.Kind
              || value instanceof FieldValue.Nil;
      if (equalityOnly && op != Comparison.EQUAL && op != Comparison.NOT_EQUAL) {
        throw unsupported(what, "this value takes = or != only");
      }
      boolean fits =
          field instanceof SpanField.Intrinsic intrinsic
              ? switch (intrinsic) {
                case NAME, STATUS_MESSAGE, ROOT_NAME, ROOT_SERVICE_NAME ->
                    value instanceof FieldValue.Text || value instanceof FieldValue.Regex;
                case STATUS -> value instanceof FieldValue.Status;
                case KIND -> value instanceof FieldValue.Kind;
                case DURATION, TRACE_DURATION -> value instanceof FieldValue.Duration;
              }
              : !(value instanceof FieldValue.Status
                  || value instanceof FieldValue.Kind
                  || value instanceof FieldValue.Duration);
      if (!fits) {
        throw unsupported(what, "the value's type does not fit the field");
      }
    }

    private static InvalidQueryException unsupported(String what, String why) {
      return new InvalidQueryException("q", "unsupported comparison " + what + ": " + why);
    }

    @Override
    public boolean test(Span span, TraceFacts trace) {
      return field instanceof SpanField.Intrinsic intrinsic
          ? testIntrinsic(intrinsic, span, trace)
          : testAttribute(lookUp((SpanField.AttributeField) field, span));
    }

    private boolean testIntrinsic(SpanField.Intrinsic intrinsic, Span span, TraceFacts trace) {
      return switch (intrinsic) {
        case NAME -> testText(span.name());
        case STATUS_MESSAGE -> testText(span.status().message());
        case ROOT_NAME -> trace.rootName().map(this::testText).orElse(false);
        case ROOT_SERVICE_NAME -> trace.rootServiceName().map(this::testText).orElse(false);
        case STATUS -> op.holds(span.status().code() == ((FieldValue.Status) value).code() ? 0 : 1);
        case KIND -> op.holds(span.kind() == ((FieldValue.Kind) value).kind() ? 0 : 1);
        case DURATION ->
            op.holds(
                Long.compare(
                    span.endTimeUnixNano() - span.startTimeUnixNano(),
                    ((FieldValue.Duration) value).nanos()));
        case TRACE_DURATION ->
            op.holds(Long.compare(trace.durationNanos(), ((FieldValue.Duration) value).nanos()));
      };
    }

    private boolean testText(String text) {
      if (value instanceof FieldValue.Regex regex) {
        return regex.matches(text) == (op == Comparison.MATCHES);
      }
      return op.holds(Integer.signum(text.compareTo(((FieldValue.Text) value).value())));
    }

    private static Optional<AnyValue> lookUp(SpanField.AttributeField attribute, Span span) {
      return switch (attribute.scope()) {
        case SPAN -> span.attributes().get(attribute.key());
        case RESOURCE -> span.resource().attributes().get(attribute.key());
        case ANY ->
            span.attributes()
                .get(attribute.key())
                .or(() -> span.resource().attributes().get(attribute.key()));
      };
    }

    private boolean testAttribute(Optional<AnyValue> found) {
      if (value instanceof FieldValue.Nil) {
        return found.isPresent() == (op == Comparison.NOT_EQUAL);
      }
      if (found.isEmpty()) {
        return false;
      }
      AnyValue attribute = found.get();
      if (value instanceof FieldValue.Text || value instanceof FieldValue.Regex) {
        return attribute instanceof AnyValue.StringValue s && testText(s.value());
      }
      if (value instanceof FieldValue.Bool bool) {
        return attribute instanceof AnyValue.BoolValue b
            && op.holds(b.value() == bool.value() ? 0 : 1);
      }
      FieldValue.Number number = (FieldValue.Number) value;
      return numeric(attribute).map(n -> op.holds(n.compareTo(number.value()))).orElse(false);
    }

    private static Optional<BigDecimal> numeric(AnyValue value) {
      if (value instanceof AnyValue.IntValue i) {
        return Optional.of(BigDecimal.valueOf(i.value()));
      }
      if (value instanceof AnyValue.DoubleValue d && Double.isFinite(d.value())) {
        return Optional.of(BigDecimal.valueOf(d.value()));
      }
      return Optional.empty();
    }

    static String describe(SpanField field) {
      if (field instanceof SpanField.Intrinsic intrinsic) {
        return intrinsic.name().toLowerCase(Locale.ROOT);
      }
      SpanField.AttributeField a = (SpanField.AttributeField) field;
      String scope =
          switch (a.scope()) {
            case SPAN -> "span.";
            case RESOURCE -> "resource.";
            case ANY -> ".";
          };
      return scope + a.key();
    }

    static String describe(FieldValue value) {
      if (value instanceof FieldValue.Text t) {
        return "\"" + t.value() + "\"";
      } else if (value instanceof FieldValue.Regex r) {
        return "\"" + r.source() + "\"";
      } else if (value instanceof FieldValue.Number n) {
        return n.value().toPlainString();
      } else if (value instanceof FieldValue.Bool b) {
        return Boolean.toString(b.value());
      } else if (value instanceof FieldValue.Duration d) {
        return d.nanos() + "ns";
      } else if (value instanceof FieldValue.Status s) {
        return s.code().name().toLowerCase(Locale.ROOT);
      } else if (value instanceof FieldValue.Kind k) {
        return k.kind().name().toLowerCase(Locale.ROOT);
      }
      return "nil";
    }
  }
}
