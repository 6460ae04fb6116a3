package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import java.io.EOFException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresErrorTranslatorTest {
  private static RuntimeException translated(String sqlState) {
    return PostgresErrorTranslator.translate("storing", new SQLException("boom", sqlState));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "22021", // invalid byte sequence
        "22P02", // invalid text representation
        "23505", // unique violation
        "54000", // index row size exceeds btree maximum
        "54011", // too many columns
      })
  void errorsAboutTheDataArePermanent(String state) {
    assertThat(translated(state)).isInstanceOf(StorageRejectedException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "08006", // connection failure
        "53100", // disk full
        "53300", // too many connections
        "57P01", // admin shutdown
        "57014", // query canceled (statement timeout)
        "58030", // I/O error
        "40001", // serialization failure
        "40P01", // deadlock
        "55P03", // lock not available
        "55006", // object in use
        "25006", // read-only transaction: a standby after failover
        "28P01", // password rejected (rotated credentials)
      })
  void errorsAboutTheDatabaseBeingUnreachableOrBusyAreRetryable(String state) {
    assertThat(translated(state)).isInstanceOf(StorageUnavailableException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"42P01", "42703", "XX000", "P0001", "0A000"})
  void otherStatesAreNeitherUnavailableNorRejected(String state) {
    assertThat(translated(state))
        .isNotInstanceOf(StorageUnavailableException.class)
        .isNotInstanceOf(StorageRejectedException.class)
        .hasMessageContaining("boom");
  }

  @org.junit.jupiter.api.Test
  void aPoolTimeoutAndAnIoErrorWithoutStateAreRetryable() {
    assertThat(
            PostgresErrorTranslator.translate(
                "storing", new SQLTransientConnectionException("pool - request timed out")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(PostgresErrorTranslator.translate("storing", new EOFException("stream closed")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(
            PostgresErrorTranslator.translate(
                "storing", new SQLException("no state", null, new IOException("reset"))))
        .isInstanceOf(StorageUnavailableException.class);
  }
}
