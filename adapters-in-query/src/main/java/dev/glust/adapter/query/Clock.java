package dev.glust.adapter.query;

import java.time.Instant;

/** Now, in unix nanoseconds: the default end of every time range. */
final class Clock {
  private Clock() {}

  static long nowUnixNano() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
