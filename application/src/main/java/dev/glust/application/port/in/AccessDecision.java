package dev.glust.application.port.in;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a request may go on and, when rate limiting is on, the client's bucket after it.
 *
 * @param reason for a refusal, a message safe to show the client (it never contains the key)
 */
public record AccessDecision(Verdict verdict, String reason, Optional<RateLimitStatus> rateLimit) {

  public enum Verdict {
    ALLOWED,
    /** No key, or an unknown one: HTTP 401, gRPC UNAUTHENTICATED. */
    UNAUTHENTICATED,
    /** A known key without the scope the request needs: HTTP 403, gRPC PERMISSION_DENIED. */
    FORBIDDEN,
    /** The client's bucket is empty: HTTP 429 + Retry-After, gRPC RESOURCE_EXHAUSTED. */
    RATE_LIMITED
  }

  public AccessDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rateLimit, "rateLimit");
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }
}
