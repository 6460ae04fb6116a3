package dev.glust.application.port.in;

/**
 * Authentication (API keys with scopes) and rate limiting, the same for every transport: each
 * receiver passes what its request carries and answers as the decision says.
 */
public interface CheckAccessUseCase {
  /**
   * @param authorization the {@code Authorization} header or gRPC metadata, or null
   * @param apiKey the {@code X-API-Key} header or {@code x-api-key} gRPC metadata, or null
   * @param scope what the request wants to do
   * @param clientAddress the peer's IP address: the rate-limit bucket when keys are off
   */
  AccessDecision check(String authorization, String apiKey, Scope scope, String clientAddress);

  /** False when neither keys nor rate limits are configured: every request is allowed as is. */
  boolean active();

  /** No keys, no rate limits: every request is allowed (receivers built without access checks). */
  static CheckAccessUseCase open() {
    return new CheckAccessUseCase() {
      @Override
      public AccessDecision check(
          String authorization, String apiKey, Scope scope, String clientAddress) {
        return new AccessDecision(AccessDecision.Verdict.ALLOWED, "", java.util.Optional.empty());
      }

      @Override
      public boolean active() {
        return false;
      }
    };
  }
}
