package dev.glust.domain.common;

import java.util.Objects;

/** One key with its typed value. */
public record Attribute(String key, AnyValue value) {
  public Attribute {
    key = Text.clean(key);
    value = Objects.requireNonNullElse(value, AnyValue.EMPTY);
  }

  public static Attribute of(String key, String value) {
    return new Attribute(key, AnyValue.of(value));
  }

  public static Attribute of(String key, long value) {
    return new Attribute(key, AnyValue.of(value));
  }
}
