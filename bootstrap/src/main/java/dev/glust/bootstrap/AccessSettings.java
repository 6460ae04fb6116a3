package dev.glust.bootstrap;

import dev.glust.application.access.AccessGuard;
import dev.glust.application.access.ApiKeyRegistry;
import dev.glust.application.access.TokenBucketLimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the access guard from configuration: API keys (inline and/or a file), rate limits. */
final class AccessSettings {
  private static final Logger LOG = LoggerFactory.getLogger(AccessSettings.class);

  private AccessSettings() {}

  /**
   * @param keys entries as {@link ApiKeyRegistry#parse} reads them, or empty
   * @param keysFile a file of such entries (one per line), or empty
   * @param ratePerSecond requests per second per client; 0 turns rate limiting off
   * @param burst bucket size; 0 means the rate rounded up
   */
  static AccessGuard guard(
      String keys, String keysFile, double ratePerSecond, int burst, int maxClients) {
    StringBuilder entries = new StringBuilder(keys);
    if (!keysFile.isBlank()) {
      try {
        entries.append('\n').append(Files.readString(Path.of(keysFile)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the API keys file " + keysFile, e);
      }
    }
    ApiKeyRegistry registry = ApiKeyRegistry.parse(entries.toString());
    Optional<TokenBucketLimiter> limiter =
        ratePerSecond > 0
            ? Optional.of(
                new TokenBucketLimiter(
                    ratePerSecond,
                    burst > 0 ? burst : (int) Math.ceil(ratePerSecond),
                    maxClients,
                    System::nanoTime))
            : Optional.empty();
    LOG.info(
        "access: {} API key(s){}, rate limit {}",
        registry.size(),
        registry.isEmpty() ? " (authentication off)" : "",
        limiter.isPresent() ? ratePerSecond + "/s per client" : "off");
    return new AccessGuard(registry, limiter);
  }
}
