package dev.glust.adapter.otlp;

/**
 * The most records (spans, log records, data points) one OTLP request may hold: counted before
 * mapping, so that refusing a huge request does not cost mapping it.
 */
record RecordsPerRequest(int max) {

  /**
   * @return the request, when it holds at most the limit
   * @throws RequestTooLargeException when it holds more
   */
  <Q> Q check(Q request, int count, String what) {
    if (count > max) {
      throw new RequestTooLargeException(
          "request holds " + count + " " + what + ", over the limit of " + max);
    }
    return request;
  }
}
