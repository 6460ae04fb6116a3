package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.PageCursor;
import dev.glust.domain.common.TraceId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
  @Test
  void timesAreRfc3339OrUnixNanos() {
    assertThat(QueryParameters.parseTime("start", "2024-05-01T12:00:00.000000123Z"))
        .isEqualTo(1_714_564_800_000_000_123L);
    assertThat(QueryParameters.parseTime("start", "2024-05-01T14:00:00+02:00"))
        .isEqualTo(1_714_564_800_000_000_000L);
    assertThat(QueryParameters.parseTime("end", "1714564800000000123"))
        .isEqualTo(1_714_564_800_000_000_123L);
    assertThatThrownBy(() -> QueryParameters.parseTime("end", "yesterday"))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("end"));
    assertThatThrownBy(() -> QueryParameters.parseTime("end", "99999999999999999999"))
        .isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void durationsAreGoStyleOrNanos() {
    assertThat(QueryParameters.parseDuration("d", "150ms")).isEqualTo(150_000_000L);
    assertThat(QueryParameters.parseDuration("d", "1.5s")).isEqualTo(1_500_000_000L);
    assertThat(QueryParameters.parseDuration("d", "2m")).isEqualTo(120_000_000_000L);
    assertThat(QueryParameters.parseDuration("d", "250us")).isEqualTo(250_000L);
    assertThat(QueryParameters.parseDuration("d", "42")).isEqualTo(42L);
    assertThatThrownBy(() -> QueryParameters.parseDuration("minDuration", "fast"))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("minDuration"));
    assertThatThrownBy(() -> QueryParameters.parseDuration("d", "0.0000001ns"))
        .isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void traceIdsAre32HexCharactersAndNotZero() {
    assertThat(QueryParameters.parseTraceId("t", "5B8EFFF798038103D269B633813FC60C"))
        .isEqualTo(TraceId.fromHex("5b8efff798038103d269b633813fc60c"));
    assertThatThrownBy(() -> QueryParameters.parseTraceId("t", "abc"))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> QueryParameters.parseTraceId("t", "0".repeat(32)))
        .isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void cursorsRoundTripAndGarbageIsABadParameter() {
    ApiCursor cursor = new ApiCursor(123, new PageCursor(456, "abc:def"));
    assertThat(ApiCursor.decode(Optional.of(cursor.encode()))).contains(cursor);
    assertThatThrownBy(() -> ApiCursor.decode(Optional.of("not a cursor")))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("cursor"));
    assertThatThrownBy(() -> ApiCursor.decode(Optional.of("MjpmOmc")))
        .isInstanceOf(InvalidQueryException.class);
  }
}
