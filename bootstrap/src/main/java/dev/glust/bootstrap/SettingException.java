package dev.glust.bootstrap;

import java.util.Optional;

/**
 * A setting with a value it does not accept: Glust stops with this one line on stderr and exit
 * status 2 (see {@link GlustApplication}), not with a stack trace.
 */
final class SettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  SettingException(String variable, String value, String allowed) {
    super(variable + "=" + quoted(value) + " is not allowed: " + allowed);
  }

  /** A setting whose problem is not one value, e.g. a file that cannot be read. */
  SettingException(String problem) {
    super(problem);
  }

  private static String quoted(String value) {
    return value.isEmpty() || value.strip().length() != value.length() || value.contains(" ")
        ? "'" + value + "'"
        : value;
  }

  /** This exception anywhere in the causes of a start-up failure. */
  static Optional<SettingException> in(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SettingException setting) {
        return Optional.of(setting);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }
}
