package dev.glust.application.access;

import dev.glust.application.port.in.Scope;
import dev.glust.domain.tenant.InvalidTenantException;
import dev.glust.domain.tenant.TenantId;
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
 * The configured API keys, held only as SHA-256 hashes with their scopes and tenants.
 *
 * <p>An entry is {@code <key>} (ingest and query, the default tenant), {@code <key>:<scopes>} with
 * scopes {@code ingest}, {@code query} or {@code admin} joined by {@code +}, or {@code
 * <key>:<scopes>@<tenants>} with tenants {@code acme} or {@code acme+beta} (the first is the key's
 * own, used when a request names none) or {@code *} (any tenant; the default one when a request
 * names none). Instead of the key itself, {@code sha256:<64 hex>} names its hash, so a keys file
 * need not hold the secrets. Entries are separated by commas or new lines; blank lines and lines
 * starting with {@code #} are ignored.
 */
public final class ApiKeyRegistry {
  private static final String HASH_PREFIX = "sha256:";

  /**
   * A key by its hash; {@code label} identifies it in metrics and logs without revealing it. An
   * empty {@code tenants} means any tenant.
   */
  record Entry(String label, byte[] hash, Set<Scope> scopes, List<TenantId> tenants) {
    /** The tenant of a request that names none. */
    TenantId ownTenant() {
      return tenants.isEmpty() ? TenantId.DEFAULT : tenants.get(0);
    }

    boolean mayUse(TenantId tenant) {
      return tenants.isEmpty() || tenants.contains(tenant);
    }
  }

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
    Set<Scope> scopes = EnumSet.of(Scope.INGEST, Scope.QUERY);
    List<TenantId> tenants = List.of(TenantId.DEFAULT);
    int colon = item.lastIndexOf(':');
    boolean bareHash = item.startsWith(HASH_PREFIX) && colon == HASH_PREFIX.length() - 1;
    if (colon > 0 && !bareHash) {
      secret = item.substring(0, colon);
      String rest = item.substring(colon + 1);
      int at = rest.indexOf('@');
      if (at >= 0) {
        tenants = tenants(rest.substring(at + 1), position);
        rest = rest.substring(0, at);
      }
      scopes = scopes(rest, position);
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
    return new Entry("key-" + position, hash, scopes, tenants);
  }

  private static List<TenantId> tenants(String spec, int position) {
    if (spec.strip().equals("*")) {
      return List.of();
    }
    List<TenantId> tenants = new ArrayList<>();
    for (String name : spec.split("\\+")) {
      try {
        TenantId tenant = new TenantId(name.strip());
        if (!tenants.contains(tenant)) {
          tenants.add(tenant);
        }
      } catch (InvalidTenantException e) {
        throw new IllegalArgumentException(
            "API key entry "
                + position
                + ": after '@' come tenants joined by '+', or '*': "
                + e.getMessage(),
            e);
      }
    }
    return List.copyOf(tenants);
  }

  private static Set<Scope> scopes(String spec, int position) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : spec.split("\\+")) {
      try {
        scopes.add(Scope.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "API key entry " + position + ": scopes are ingest, query, admin, joined by '+'", e);
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
