package dev.glust.adapter.query.loki;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import java.util.Base64;
import java.util.List;

/** Typed OTLP values as the text of a log line or a label value. */
final class LokiText {
  private LokiText() {}

  /** Strings as they are, numbers and booleans as literals, structures as JSON. */
  static String of(AnyValue value) {
    if (value instanceof AnyValue.StringValue s) {
      return s.value();
    }
    if (value instanceof AnyValue.EmptyValue) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    json(value, out);
    return out.toString();
  }

  /** A label name Loki accepts: letters, digits and underscores, dots and others as '_'. */
  static String labelName(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean allowed = c == '_' || (c < 128 && Character.isLetterOrDigit(c));
      out.append(allowed ? c : '_');
    }
    if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static void json(AnyValue value, StringBuilder out) {
    if (value instanceof AnyValue.StringValue s) {
      quote(s.value(), out);
    } else if (value instanceof AnyValue.BoolValue b) {
      out.append(b.value());
    } else if (value instanceof AnyValue.IntValue i) {
      out.append(i.value());
    } else if (value instanceof AnyValue.DoubleValue d) {
      if (Double.isFinite(d.value())) {
        out.append(d.value());
      } else {
        quote(Double.toString(d.value()), out);
      }
    } else if (value instanceof AnyValue.BytesValue b) {
      quote(Base64.getEncoder().encodeToString(b.value()), out);
    } else if (value instanceof AnyValue.ArrayValue a) {
      out.append('[');
      List<AnyValue> values = a.values();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        json(values.get(i), out);
      }
      out.append(']');
    } else if (value instanceof AnyValue.KeyValueListValue kv) {
      out.append('{');
      List<Attribute> entries = kv.values();
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(entries.get(i).key(), out);
        out.append(':');
        json(entries.get(i).value(), out);
      }
      out.append('}');
    } else {
      out.append("null");
    }
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
