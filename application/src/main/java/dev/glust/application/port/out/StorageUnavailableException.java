package dev.glust.application.port.out;

/**
 * Transient: storage is unreachable, overloaded or restarting. Nothing of the batch was stored, and
 * the same batch may succeed later, so clients are told to retry.
 */
public class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
