package dev.glust.adapter.otlp;

/** A Content-Type or Content-Encoding that OTLP/HTTP does not define. */
final class UnsupportedMediaTypeException extends RuntimeException {
  UnsupportedMediaTypeException(String message) {
    super(message);
  }
}
