package dev.glust.domain.tenant;

import java.util.regex.Pattern;

/**
 * The tenant a record belongs to: the team or customer whose keys may read it. The name is what
 * clients send in {@code X-Scope-OrgID} (as with Tempo, Loki and Mimir) and what API keys list.
 *
 * <p>Names are 1–64 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting
 * with a letter or digit: safe in a URL, a metric label, a PostgreSQL setting and a log line
 * without quoting. Loki's {@code a|b} multi-tenant queries are not accepted.
 */
public record TenantId(String name) {
  public static final int MAX_LENGTH = 64;
  // before DEFAULT: static fields initialise in order, and DEFAULT's constructor uses it
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The tenant of records sent without a tenant while API keys are off. */
  public static final TenantId DEFAULT = new TenantId("default");

  public TenantId {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidTenantException(
          "a tenant name is 1 to "
              + MAX_LENGTH
              + " letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
