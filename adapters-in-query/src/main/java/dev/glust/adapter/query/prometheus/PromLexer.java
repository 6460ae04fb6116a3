package dev.glust.adapter.query.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PromQL text into tokens: identifiers (metric and label names, keywords, functions),
 * numbers, durations, strings and operators. Positions are kept for error messages.
 */
final class PromLexer {
  enum Kind {
    IDENTIFIER,
    NUMBER,
    DURATION,
    STRING,
    OPERATOR,
    END
  }

  /** A token; {@code text} is a string's decoded value, else the source text. */
  record Token(Kind kind, String text, int position) {
    boolean is(String operator) {
      return kind == Kind.OPERATOR && text.equals(operator);
    }

    boolean isKeyword(String keyword) {
      return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    String describe() {
      return switch (kind) {
        case END -> "end of input";
        case STRING -> "string \"" + text + "\"";
        default -> "\"" + text + "\"";
      };
    }
  }

  /** Longest first, so "!=" is not read as "!" then "=". */
  private static final String[] OPERATORS = {
    "==", "!=", "=~", "!~", ">=", "<=", "(", ")", "{", "}", "[", "]", ",", "=", "+", "-", "*", "/",
    "%", "^", ">", "<", ":", "@"
  };

  private static final String DURATION_UNITS = "smhdwy";

  private final String text;
  private int pos;

  private PromLexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String text) {
    return new PromLexer(text).all();
  }

  private List<Token> all() {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= text.length()) {
        out.add(new Token(Kind.END, "", pos));
        return out;
      }
      out.add(next());
    }
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token next() {
    int start = pos;
    char c = text.charAt(pos);
    if (c == '"' || c == '\'' || c == '`') {
      return new Token(Kind.STRING, string(c), start);
    }
    if (isDigit(c) || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
      return number(start);
    }
    if (isIdentifierStart(c)) {
      while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
        pos++;
      }
      return new Token(Kind.IDENTIFIER, text.substring(start, pos), start);
    }
    for (String op : OPERATORS) {
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Kind.OPERATOR, op, start);
      }
    }
    throw PromQueryException.at(start, "unexpected character '" + c + "'");
  }

  /** A number (decimal, scientific, hex) or a duration ({@code 5m}, {@code 1h30m}). */
  private Token number(int start) {
    if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
      pos += 2;
      while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
        pos++;
      }
      return new Token(Kind.NUMBER, text.substring(start, pos), start);
    }
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos < text.length() && DURATION_UNITS.indexOf(text.charAt(pos)) >= 0) {
      return duration(start);
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int mark = pos;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < text.length() && isDigit(text.charAt(pos))) {
        while (pos < text.length() && isDigit(text.charAt(pos))) {
          pos++;
        }
      } else {
        pos = mark;
      }
    }
    if (pos < text.length() && isWordChar(text.charAt(pos))) {
      throw PromQueryException.at(pos, "bad number or duration syntax");
    }
    return new Token(Kind.NUMBER, text.substring(start, pos), start);
  }

  /** Digits and units, repeated ({@code 1h30m}); "ms" is the one two-letter unit. */
  private Token duration(int start) {
    pos = start;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (text.startsWith("ms", pos)) {
        pos += 2;
      } else if (pos < text.length() && DURATION_UNITS.indexOf(text.charAt(pos)) >= 0) {
        pos++;
      } else {
        throw PromQueryException.at(pos, "bad duration syntax");
      }
    }
    if (pos < text.length() && isWordChar(text.charAt(pos))) {
      throw PromQueryException.at(pos, "bad duration syntax");
    }
    return new Token(Kind.DURATION, text.substring(start, pos), start);
  }

  private String string(char quote) {
    int start = pos;
    pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\\' && quote != '`') {
        out.append(escape(start));
      } else if (c == '\n' && quote != '`') {
        break;
      } else {
        out.append(c);
      }
    }
    throw PromQueryException.at(start, "unterminated string");
  }

  private String escape(int stringStart) {
    if (pos >= text.length()) {
      throw PromQueryException.at(stringStart, "unterminated string");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case 'a' -> "\u0007";
      case 'b' -> "\b";
      case 'f' -> "\f";
      case 'n' -> "\n";
      case 'r' -> "\r";
      case 't' -> "\t";
      case 'v' -> "\u000b";
      case '\\', '"', '\'', '`' -> String.valueOf(c);
      case 'x' -> codePoint(2);
      case 'u' -> codePoint(4);
      case 'U' -> codePoint(8);
      default -> throw PromQueryException.at(pos - 2, "unknown escape sequence \\" + c);
    };
  }

  private String codePoint(int digits) {
    if (pos + digits > text.length()) {
      throw PromQueryException.at(pos, "bad escape sequence");
    }
    try {
      int code = Integer.parseUnsignedInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return new String(Character.toChars(code));
    } catch (IllegalArgumentException e) {
      throw PromQueryException.at(pos, "bad escape sequence");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A name starts with a letter or underscore; ":" (recording rules) may follow, not lead. */
  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentifierPart(char c) {
    return isWordChar(c) || c == ':';
  }

  private static boolean isWordChar(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }
}
