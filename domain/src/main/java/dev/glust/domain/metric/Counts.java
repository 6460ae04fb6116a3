package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import java.util.List;

/**
 * Rules for OTLP's unsigned 64-bit counts held in Java longs: a count beyond 2^63 - 1 arrives
 * negative and is refused rather than stored wrapped.
 */
final class Counts {
  private Counts() {}

  static void requireNotNegative(long count, String what) {
    if (count < 0) {
      throw new InvalidTelemetryException(what + " must be between 0 and 2^63 - 1: " + count);
    }
  }

  static void requireNotNegative(List<Long> counts, String what) {
    for (long count : counts) {
      requireNotNegative(count, what);
    }
  }

  static long sum(List<Long> counts, String what) {
    long sum = 0;
    try {
      for (long count : counts) {
        sum = Math.addExact(sum, count);
      }
    } catch (ArithmeticException e) {
      throw new InvalidTelemetryException(what + " add up beyond 2^63 - 1");
    }
    return sum;
  }

  /** OTLP: a histogram's count is the sum of its buckets; a point that says otherwise is broken. */
  static void requireTotal(long count, long bucketTotal) {
    if (count != bucketTotal) {
      throw new InvalidTelemetryException(
          "count " + count + " differs from the sum of the bucket counts, " + bucketTotal);
    }
  }
}
