package dev.glust.adapter.otlp;

import java.time.Duration;

/** No decoding thread took the request in time (or any more): refused undecoded, to be retried. */
final class ReceiverBusyException extends RuntimeException {
  ReceiverBusyException(Duration waited) {
    super("request waited " + waited.toMillis() + " ms for a decoder");
  }

  ReceiverBusyException(int queued) {
    super("the decode queue is full (" + queued + " requests)");
  }

  /** The decoders are shutting down. */
  ReceiverBusyException() {
    super("receivers are shutting down");
  }
}
