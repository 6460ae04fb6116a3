package dev.glust.adapter.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the database is and how Glust talks to it.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/glust}; blank when not known yet
 * @param poolSize connections kept open for writes and probes
 * @param connectTimeout how long a request may wait for a connection before it is told to retry
 */
public record PostgresSettings(
    String jdbcUrl, String user, String password, int poolSize, Duration connectTimeout) {
  public PostgresSettings {
    jdbcUrl = Objects.requireNonNullElse(jdbcUrl, "");
    if (!jdbcUrl.isBlank() && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    user = Objects.requireNonNullElse(user, "");
    password = Objects.requireNonNullElse(password, "");
    if (poolSize < 1) {
      throw new IllegalArgumentException("pool size must be at least 1");
    }
    Objects.requireNonNull(connectTimeout, "connect timeout");
  }

  public static PostgresSettings of(String jdbcUrl, String user, String password) {
    return new PostgresSettings(jdbcUrl, user, password, 8, Duration.ofSeconds(5));
  }

  @Override
  public String toString() { // never print the password
    return "PostgresSettings[" + jdbcUrl + ", user=" + user + ", pool=" + poolSize + "]";
  }
}
