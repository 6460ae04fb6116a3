package dev.glust.domain.violation;

import java.sql.Connection;

/** Breaks two rules on purpose: a domain class that reaches for JDBC and for an adapter. */
public final class DomainUsingJdbc {
  public Connection connection;
  public dev.glust.adapter.postgres.PostgresSettings settings;
}
