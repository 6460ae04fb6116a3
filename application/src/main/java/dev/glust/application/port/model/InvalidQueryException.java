package dev.glust.application.port.model;

/** A query parameter that cannot be answered; names the parameter so the caller can fix it. */
public class InvalidQueryException extends IllegalArgumentException {
  private final String parameter;

  public InvalidQueryException(String parameter, String problem) {
    super(parameter + ": " + problem);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
