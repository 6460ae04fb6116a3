package dev.glust.application.access;

import dev.glust.application.port.in.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys, held only as SHA-256 hashes with their scopes.
 *
 * <p>An entry is {@code <key>} (both scopes) or {@code <key>:<scopes>} with scopes {@code ingest},
 * {@code query} or {@code ingest+query}; instead of the key itself, {@code sha256:<64 hex>} names
 * its hash, so a keys file need not hold the secrets. Entries are separated by commas or new lines;
 * blank lines and lines starting with {@code #} are ignored.
 */
public final class ApiKeyRegistry {
  private static final String HASH_PREFIX = "sha256:";

  /** A key by its hash; {@code label} identifies it in metrics and logs without revealing it. */
  record Entry(String label, byte[] hash, Set<Scope> scopes) {}

  private final List<Entry> entries;

  private ApiKeyRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static ApiKeyRegistry none() {
    return new ApiKeyRegistry(List.of());
  }

  /**
   * @throws IllegalArgumentException naming the entry's position (never its text) when malformed
   */
  public static ApiKeyRegistry parse(String text) {
    List<Entry> entries = new ArrayList<>();
    int position = 0;
    for (String line : text.split("\\R")) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      for (String item : line.split(",")) {
        if (!item.isBlank()) {
          position++;
          entries.add(entry(item.strip(), position));
        }
      }
    }
    return new ApiKeyRegistry(entries);
  }

  private static Entry entry(String item, int position) {
    String secret = item;
    Set<Scope> scopes = EnumSet.allOf(Scope.class);
    int colon = item.lastIndexOf(':');
    boolean bareHash = item.startsWith(HASH_PREFIX) && colon == HASH_PREFIX.length() - 1;
    if (colon > 0 && !bareHash) {
      secret = item.substring(0, colon);
      scopes = scopes(item.substring(colon + 1), position);
    }
    byte[] hash;
    if (secret.startsWith(HASH_PREFIX)) {
      String hex = secret.substring(HASH_PREFIX.length());
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "API key entry " + position + ": sha256: must be followed by 64 hex digits");
      }
      hash = HexFormat.of().parseHex(hex);
    } else {
      if (secret.isEmpty() || secret.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "API key entry " + position + ": a key must be non-empty, without spaces");
      }
      hash = sha256(secret);
    }
    return new Entry("key-" + position, hash, scopes);
  }

  private static Set<Scope> scopes(String spec, int position) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : spec.split("\\+")) {
      try {
        scopes.add(Scope.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "API key entry " + position + ": scopes are ingest, query or ingest+query", e);
      }
    }
    return scopes;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /**
   * The entry of a presented key. Every stored hash is compared, in constant time, so the answer's
   * timing says nothing about how close a guess came or which entry matched.
   */
  Optional<Entry> find(String presentedKey) {
    byte[] presented = sha256(presentedKey);
    Entry found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
        found = entry;
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
