package dev.glust.domain.common;

/**
 * Makes any string storable: PostgreSQL rejects NUL in text and jsonb, and a lone UTF-16 surrogate
 * (which OTLP/JSON can smuggle in as an escape) has no UTF-8 encoding. Both become U+FFFD, the same
 * replacement a UTF-8 decoder applies to invalid bytes, so one bad character never costs a record.
 */
public final class Text {
  static final char REPLACEMENT = '\uFFFD';

  private Text() {}

  /** Returns {@code s} itself when it is already clean (the common case allocates nothing). */
  public static String clean(String s) {
    if (s == null) {
      return "";
    }
    int first = firstInvalid(s);
    if (first < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        out.append(REPLACEMENT);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(REPLACEMENT);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Cuts {@code s} to at most {@code maxChars} characters without splitting a surrogate pair;
   * {@code maxChars < 0} means no limit.
   */
  public static String truncate(String s, int maxChars) {
    if (maxChars < 0 || s.length() <= maxChars) {
      return s;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static int firstInvalid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
