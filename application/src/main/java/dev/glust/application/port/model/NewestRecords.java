package dev.glust.application.port.model;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * When the newest stored span started and the newest log record happened (Unix nanoseconds), at or
 * before a given time; empty when there is none. Tells an empty time range from an empty store.
 */
public record NewestRecords(OptionalLong spanUnixNano, OptionalLong logUnixNano) {
  public NewestRecords {
    Objects.requireNonNull(spanUnixNano, "spanUnixNano");
    Objects.requireNonNull(logUnixNano, "logUnixNano");
  }
}
