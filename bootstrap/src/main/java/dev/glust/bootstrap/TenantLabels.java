package dev.glust.bootstrap;

import dev.glust.domain.tenant.TenantId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tenant} label of Glust's own metrics, with bounded cardinality: the first {@link
 * #MAX_NAMED} tenants seen (since start) keep their name, later ones are counted together as {@code
 * other}; a request refused before its tenant was known is {@code unknown}.
 */
final class TenantLabels {
  static final int MAX_NAMED = 50;
  static final String OTHER = "other";
  static final String UNKNOWN = "unknown";

  private final Set<String> named = ConcurrentHashMap.newKeySet();

  String of(Optional<TenantId> tenant) {
    return tenant.map(this::of).orElse(UNKNOWN);
  }

  String of(TenantId tenant) {
    String name = tenant.name();
    if (named.contains(name)) {
      return name;
    }
    synchronized (named) { // check and add together: never more than the cap
      if (named.size() < MAX_NAMED) {
        named.add(name);
        return name;
      }
    }
    return OTHER;
  }
}
