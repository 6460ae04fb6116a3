package dev.glust.domain.common;

import java.util.Objects;

/** The entity that produced telemetry, described by attributes such as {@code service.name}. */
public record Resource(Attributes attributes, String schemaUrl) {
  public static final String SERVICE_NAME = "service.name";
  public static final String UNKNOWN_SERVICE = "unknown_service";
  public static final Resource EMPTY = new Resource(Attributes.EMPTY, "");

  public Resource {
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
    schemaUrl = Text.clean(schemaUrl);
  }

  /**
   * The semantic-convention rule: a missing or blank {@code service.name} is {@code
   * unknown_service}, suffixed with {@code process.executable.name} when that is known. Cut to
   * {@link RecordLimits#MAX_NAME_LENGTH}: it is indexed.
   */
  public String serviceName() {
    String name = stringAttribute(SERVICE_NAME);
    if (!name.isBlank()) {
      return RecordLimits.cutName(name);
    }
    String executable = stringAttribute("process.executable.name");
    return executable.isBlank()
        ? UNKNOWN_SERVICE
        : RecordLimits.cutName(UNKNOWN_SERVICE + ":" + executable);
  }

  /** Whether the {@code service.name} attribute fits {@link RecordLimits#MAX_NAME_LENGTH}. */
  public boolean serviceNameFits() {
    return RecordLimits.nameFits(stringAttribute(SERVICE_NAME));
  }

  private String stringAttribute(String key) {
    return attributes
        .get(key)
        .filter(AnyValue.StringValue.class::isInstance)
        .map(v -> ((AnyValue.StringValue) v).value())
        .orElse("");
  }
}
