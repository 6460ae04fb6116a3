package dev.glust.adapter.otlp;

/** The request, after decompression, exceeds a configured limit of size or record count. */
final class RequestTooLargeException extends RuntimeException {
  RequestTooLargeException(long limitBytes) {
    super("request body exceeds the limit of " + limitBytes + " bytes after decompression");
  }

  RequestTooLargeException(String message) {
    super(message);
  }
}
