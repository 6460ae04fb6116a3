package dev.glust.adapter.otlp;

/** The request body cannot be decoded as the OTLP message its path and type promise. */
final class MalformedRequestException extends RuntimeException {
  MalformedRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
