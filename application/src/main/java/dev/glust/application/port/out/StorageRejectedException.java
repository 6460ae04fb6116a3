package dev.glust.application.port.out;

/**
 * Permanent: storage refused the data itself (a value it cannot hold). Nothing of the batch was
 * stored, and retrying the same batch would fail the same way.
 */
public class StorageRejectedException extends RuntimeException {
  public StorageRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
