package dev.glust.application.port.in.query.performance;

import java.util.List;

/**
 * Every service with spans in a range, by name: {@code startUnixNano} is the start of the first
 * step, each series has a point for every step (empty ones too, so charts keep their scale).
 */
public record ServicesPerformance(
    long startUnixNano, long stepNanos, List<ServicePerformance> services) {
  public ServicesPerformance {
    services = List.copyOf(services);
  }
}
