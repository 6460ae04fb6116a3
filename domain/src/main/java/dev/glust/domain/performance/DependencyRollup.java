package dev.glust.domain.performance;

import java.util.Objects;

/**
 * Calls from one service to another in one minute: child spans of {@code child} whose parent span
 * is of {@code parent}, counted in the minute the child started; {@code errors} of them had status
 * ERROR.
 */
public record DependencyRollup(
    long minuteUnixNano, String parent, String child, long calls, long errors) {
  public DependencyRollup {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(child, "child");
    if (Math.floorMod(minuteUnixNano, OperationRollup.MINUTE_NANOS) != 0) {
      throw new IllegalArgumentException("not the start of a minute: " + minuteUnixNano);
    }
    if (calls < 0 || errors < 0 || errors > calls) {
      throw new IllegalArgumentException("calls " + calls + ", errors " + errors);
    }
  }
}
