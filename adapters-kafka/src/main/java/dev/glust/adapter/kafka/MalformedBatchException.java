package dev.glust.adapter.kafka;

/** A record value that is not a batch this version can read: it goes to the dead-letter topic. */
final class MalformedBatchException extends Exception {
  MalformedBatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
