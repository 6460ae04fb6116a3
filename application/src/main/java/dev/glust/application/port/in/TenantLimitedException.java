package dev.glust.application.port.in;

/**
 * Transient: the tenant sent faster than its limit (records or bytes per second). Nothing of the
 * request was taken; the client should retry after {@code retryAfterSeconds}, when its token bucket
 * has refilled.
 */
public class TenantLimitedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long retryAfterSeconds;

  public TenantLimitedException(String message, long retryAfterSeconds) {
    super(message, null, false, false); // refusals are frequent under overload: no stack trace
    if (retryAfterSeconds < 1) {
      throw new IllegalArgumentException("a refused request is retried after at least a second");
    }
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
