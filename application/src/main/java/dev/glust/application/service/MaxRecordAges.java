package dev.glust.application.service;

import java.util.Objects;

/** The {@link MaxRecordAge} of each signal (each can follow its own retention). */
public record MaxRecordAges(MaxRecordAge spans, MaxRecordAge logs, MaxRecordAge metrics) {
  public MaxRecordAges {
    Objects.requireNonNull(spans, "spans");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** The same age for every signal. */
  public static MaxRecordAges all(MaxRecordAge age) {
    return new MaxRecordAges(age, age, age);
  }
}
