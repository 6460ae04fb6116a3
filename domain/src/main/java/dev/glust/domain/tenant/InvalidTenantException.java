package dev.glust.domain.tenant;

/** A tenant name breaks {@link TenantId}'s rules; the message is safe to show the client. */
public class InvalidTenantException extends IllegalArgumentException {
  public InvalidTenantException(String message) {
    super(message);
  }
}
