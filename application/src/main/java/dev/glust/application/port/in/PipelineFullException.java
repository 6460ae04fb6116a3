package dev.glust.application.port.in;

/**
 * Transient: the pipeline holds as much as it may (records or bytes). The request was not taken;
 * the client should retry after a short pause, when writers have caught up.
 */
public class PipelineFullException extends RuntimeException {
  public PipelineFullException(String message) {
    super(message, null, false, false); // refusals are frequent under overload: no stack trace
  }
}
