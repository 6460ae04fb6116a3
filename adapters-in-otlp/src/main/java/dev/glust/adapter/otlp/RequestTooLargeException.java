package dev.glust.adapter.otlp;

/** The request body, after decompression, exceeds the configured limit. */
final class RequestTooLargeException extends RuntimeException {
  RequestTooLargeException(long limitBytes) {
    super("request body exceeds the limit of " + limitBytes + " bytes after decompression");
  }
}
