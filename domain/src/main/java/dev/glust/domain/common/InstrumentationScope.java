package dev.glust.domain.common;

import java.util.Objects;

/** The library that recorded the telemetry (e.g. {@code io.opentelemetry.jdbc 2.1.0}). */
public record InstrumentationScope(
    String name, String version, Attributes attributes, String schemaUrl) {
  public static final InstrumentationScope EMPTY =
      new InstrumentationScope("", "", Attributes.EMPTY, "");

  public InstrumentationScope {
    name = Text.clean(name);
    version = Text.clean(version);
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
    schemaUrl = Text.clean(schemaUrl);
  }
}
