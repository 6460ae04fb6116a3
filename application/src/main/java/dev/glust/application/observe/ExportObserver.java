package dev.glust.application.observe;

/**
 * Told about every export request a receiver finished, whatever its outcome; a metrics adapter
 * implements it. Called on I/O threads: it must be quick and must not block.
 */
@FunctionalInterface
public interface ExportObserver {
  ExportObserver NONE = report -> {};

  void exportFinished(ExportReport report);
}
