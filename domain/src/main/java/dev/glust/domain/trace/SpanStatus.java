package dev.glust.domain.trace;

import dev.glust.domain.common.Text;
import java.util.Objects;

/** The outcome a span reports: unset, ok or error, with an optional message. */
public record SpanStatus(Code code, String message) {
  public static final SpanStatus UNSET = new SpanStatus(Code.UNSET, "");

  public SpanStatus {
    code = Objects.requireNonNullElse(code, Code.UNSET);
    message = Text.clean(message);
  }

  /** OTLP status codes, with their wire numbers. */
  public enum Code {
    UNSET,
    OK,
    ERROR;

    public int code() {
      return ordinal();
    }

    /** An unknown number reads as UNSET. */
    public static Code fromCode(int code) {
      Code[] all = values();
      return code >= 0 && code < all.length ? all[code] : UNSET;
    }
  }
}
