package dev.glust.application.port.model;

/**
 * The six OTLP severity ranges (each spans four numbers, e.g. ERROR..ERROR4 = 17..20) plus
 * unspecified (0): the levels people filter and colour logs by.
 */
public enum SeverityLevel {
  UNSPECIFIED(0),
  TRACE(1),
  DEBUG(5),
  INFO(9),
  WARN(13),
  ERROR(17),
  FATAL(21);

  private final int lowestNumber;

  SeverityLevel(int lowestNumber) {
    this.lowestNumber = lowestNumber;
  }

  /** The first severity number of this level (ERROR: 17). */
  public int lowestNumber() {
    return lowestNumber;
  }

  /** The level of a severity number 0..24. */
  public static SeverityLevel of(int severityNumber) {
    if (severityNumber <= 0 || severityNumber > 24) {
      return UNSPECIFIED;
    }
    return values()[(severityNumber - 1) / 4 + 1];
  }
}
