package dev.glust.application.violation;

import java.util.Map;

/** Breaks a rule on purpose: the application naming the HTTP headers an adapter should write. */
public final class ApplicationSpeakingHttp {
  public Map<String, String> responseHeaders() {
    return Map.of("Retry-After", "1");
  }
}
