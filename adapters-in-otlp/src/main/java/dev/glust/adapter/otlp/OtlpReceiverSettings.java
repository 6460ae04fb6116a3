package dev.glust.adapter.otlp;

import java.time.Duration;
import java.util.Objects;

/**
 * How the OTLP receivers listen and how large a request may be. How much they hold at once is the
 * ingest pipeline's bound, not theirs.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0}
 * @param grpcPort 4317 by OTLP convention; 0 picks a free port (tests)
 * @param httpPort 4318 by OTLP convention; 0 picks a free port (tests)
 * @param maxRequestBytes the largest request body after decompression (413 / RESOURCE_EXHAUSTED)
 * @param maxRecordsPerRequest the most spans or log records one request may hold (the same)
 * @param maxQueueWait how long a received request may wait for a decoding thread before it is
 *     refused undecoded with a retryable status (CPU overload)
 * @param maxDecodeQueue how many received requests may wait for a decoding thread; one more is
 *     refused at once, undecoded, with the same retryable status (this bounds the memory they hold
 *     to about this many times {@code maxRequestBytes})
 */
public record OtlpReceiverSettings(
    String host,
    int grpcPort,
    int httpPort,
    int maxRequestBytes,
    int maxRecordsPerRequest,
    Duration maxQueueWait,
    int maxDecodeQueue) {
  public static final int DEFAULT_MAX_RECORDS_PER_REQUEST = 100_000;
  public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_DECODE_QUEUE = 64;

  public OtlpReceiverSettings {
    Objects.requireNonNull(maxQueueWait, "maxQueueWait");
    if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
      throw new IllegalArgumentException("max queue wait must be positive");
    }
    if (maxRequestBytes <= 0 || maxRequestBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max request bytes must be between 1 and 2^31-2");
    }
    if (maxRecordsPerRequest <= 0) {
      throw new IllegalArgumentException("max records per request must be positive");
    }
    if (maxDecodeQueue <= 0) {
      throw new IllegalArgumentException("max decode queue must be positive");
    }
  }

  public OtlpReceiverSettings(
      String host,
      int grpcPort,
      int httpPort,
      int maxRequestBytes,
      int maxRecordsPerRequest,
      Duration maxQueueWait) {
    this(
        host,
        grpcPort,
        httpPort,
        maxRequestBytes,
        maxRecordsPerRequest,
        maxQueueWait,
        DEFAULT_MAX_DECODE_QUEUE);
  }

  public OtlpReceiverSettings(String host, int grpcPort, int httpPort, int maxRequestBytes) {
    this(host, grpcPort, httpPort, maxRequestBytes, DEFAULT_MAX_RECORDS_PER_REQUEST);
  }

  public OtlpReceiverSettings(
      String host, int grpcPort, int httpPort, int maxRequestBytes, int maxRecordsPerRequest) {
    this(host, grpcPort, httpPort, maxRequestBytes, maxRecordsPerRequest, DEFAULT_MAX_QUEUE_WAIT);
  }
}
