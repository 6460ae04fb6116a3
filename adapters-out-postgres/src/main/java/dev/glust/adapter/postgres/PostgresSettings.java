package dev.glust.adapter.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the database is and how Glust talks to it. Ingest and queries have a connection pool each,
 * so that however many queries run, the writers always find their connections; both connect as the
 * service role, which owns nothing and is subject to row-level security. Migrations and partition
 * upkeep connect as the owner, on a small pool of their own.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/glust}; blank when not known yet
 * @param user the role that owns the schema (runs migrations and partition upkeep)
 * @param serviceUser the login role ingest and queries connect as; blank: the owner (tools and
 *     tests only: the policies still apply to an owner that is no superuser, but it could lift
 *     them)
 * @param poolSize connections kept open for the ingest writers, partition upkeep and health probes
 * @param queryPoolSize connections kept open for queries and live tails
 * @param connectTimeout how long a request may wait for a connection before it is told to retry
 * @param queryTimeout how long one query statement may run before the database cancels it (set on
 *     the query pool's sessions only: ingest is never cut short)
 */
public record PostgresSettings(
    String jdbcUrl,
    String user,
    String password,
    int poolSize,
    int queryPoolSize,
    Duration connectTimeout,
    Duration queryTimeout,
    String serviceUser,
    String servicePassword) {
  public static final int DEFAULT_QUERY_POOL_SIZE = 4;
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

  public PostgresSettings {
    jdbcUrl = Objects.requireNonNullElse(jdbcUrl, "");
    if (!jdbcUrl.isBlank() && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    user = Objects.requireNonNullElse(user, "");
    password = Objects.requireNonNullElse(password, "");
    serviceUser = Objects.requireNonNullElse(serviceUser, "");
    servicePassword = Objects.requireNonNullElse(servicePassword, "");
    if (poolSize < 1 || queryPoolSize < 1) {
      throw new IllegalArgumentException("pool sizes must be at least 1");
    }
    Objects.requireNonNull(connectTimeout, "connect timeout");
    Objects.requireNonNull(queryTimeout, "query timeout");
    if (queryTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("query timeout must be at least 1ms: " + queryTimeout);
    }
  }

  /** Settings without a service role of their own: ingest and queries connect as the owner. */
  public PostgresSettings(
      String jdbcUrl,
      String user,
      String password,
      int poolSize,
      int queryPoolSize,
      Duration connectTimeout,
      Duration queryTimeout) {
    this(jdbcUrl, user, password, poolSize, queryPoolSize, connectTimeout, queryTimeout, "", "");
  }

  public static PostgresSettings of(String jdbcUrl, String user, String password) {
    return new PostgresSettings(
        jdbcUrl,
        user,
        password,
        8,
        DEFAULT_QUERY_POOL_SIZE,
        Duration.ofSeconds(5),
        DEFAULT_QUERY_TIMEOUT);
  }

  /** The same pools, timeouts and service role for another database and owner. */
  public PostgresSettings at(String jdbcUrl, String user, String password) {
    return new PostgresSettings(
        jdbcUrl,
        user,
        password,
        poolSize,
        queryPoolSize,
        connectTimeout,
        queryTimeout,
        serviceUser,
        servicePassword);
  }

  /** The same settings with ingest and queries connecting as {@code serviceUser}. */
  public PostgresSettings withServiceRole(String serviceUser, String servicePassword) {
    return new PostgresSettings(
        jdbcUrl,
        user,
        password,
        poolSize,
        queryPoolSize,
        connectTimeout,
        queryTimeout,
        serviceUser,
        servicePassword);
  }

  /** Whether ingest and queries connect as a role of their own rather than as the owner. */
  public boolean hasServiceRole() {
    return !serviceUser.isBlank() && !serviceUser.equals(user);
  }

  @Override
  public String toString() { // never print the password
    return "PostgresSettings["
        + jdbcUrl
        + ", user="
        + user
        + ", service user="
        + serviceUser
        + ", pool="
        + poolSize
        + ", query pool="
        + queryPoolSize
        + "]";
  }
}
