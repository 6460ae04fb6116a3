package dev.glust.application.port.in;

import java.util.Map;

/** Up only when every component is; {@code components} says which is what, for humans. */
public record HealthReport(boolean up, Map<String, String> components) {
  public HealthReport {
    components = Map.copyOf(components);
  }
}
