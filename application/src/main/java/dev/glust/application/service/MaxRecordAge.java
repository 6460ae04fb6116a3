package dev.glust.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How old a record may be when it arrives; older ones are refused (OTLP partial success) before
 * they reach storage, so no client can make the service create partitions for times long gone.
 * {@code setting} names the configuration that set it, so the refusal tells an operator what to
 * change.
 */
public record MaxRecordAge(Duration age, String setting) {
  public MaxRecordAge {
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("the maximum record age must be positive: " + age);
    }
    Objects.requireNonNull(setting, "setting");
  }

  /** The oldest time, in unix nanoseconds, a record arriving at {@code nowUnixNano} may have. */
  long oldestAt(long nowUnixNano) {
    long nanos;
    try {
      nanos = age.toNanos();
    } catch (ArithmeticException beyond292Years) {
      return Long.MIN_VALUE;
    }
    return nowUnixNano - nanos;
  }

  /** The age as people write it in the settings: {@code 7d}, {@code 36h}, {@code 90m}. */
  String label() {
    return SettingDuration.label(age);
  }
}
