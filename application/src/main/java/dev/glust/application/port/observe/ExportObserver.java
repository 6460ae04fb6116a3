package dev.glust.application.port.observe;

/**
 * Told about every export request a receiver finished, whatever its outcome; a metrics adapter
 * implements it. Called on I/O threads: it must be quick and must not block.
 */
@FunctionalInterface
public interface ExportObserver {
  ExportObserver NONE = report -> {};

  void exportFinished(ExportReport report);

  /**
   * A receiver serves this signal over this transport ({@code grpc}, {@code http}); told once per
   * pair as it starts, before any request, so that series can be shown at zero from the first
   * scrape (a Prometheus {@code rate()} needs a sample from before the first increase).
   */
  default void serving(String signal, String transport) {}
}
