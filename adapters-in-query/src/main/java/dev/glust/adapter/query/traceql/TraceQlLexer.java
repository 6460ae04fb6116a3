package dev.glust.adapter.query.traceql;

import dev.glust.adapter.query.traceql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a TraceQL query into tokens; refuses what it cannot read, naming the column. */
final class TraceQlLexer {
  /** Operators, longest first so that {@code >>} is not read as two {@code >}. */
  private static final List<String> OPERATORS =
      List.of(
          "!>>", "!<<", "&>>", "&<<", "~>>", "~<<", ">>", "<<", "!=", ">=", "<=", "=~", "!~", "!>",
          "!<", "&>", "&<", "&~", "~>", "~<", "=", ">", "<");

  /** Characters that end an attribute name (besides white space). */
  private static final Set<Character> NAME_ENDS =
      Set.of('{', '}', '(', ')', '=', '!', '<', '>', '~', '&', '|', ',', '"', '`');

  private final String text;
  private int at;

  private TraceQlLexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String query) {
    return new TraceQlLexer(query).all();
  }

  private List<Token> all() {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpace();
      if (at >= text.length()) {
        out.add(new Token(Kind.END, "end of query", at + 1));
        return out;
      }
      out.add(next());
    }
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private Token next() {
    int start = at;
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return single(Kind.OPEN_BRACE);
      case '}':
        return single(Kind.CLOSE_BRACE);
      case '(':
        return single(Kind.OPEN_PAREN);
      case ')':
        return single(Kind.CLOSE_PAREN);
      case '"':
      case '`':
        return string(c);
      default:
        break;
    }
    if (text.startsWith("&&", at)) {
      at += 2;
      return new Token(Kind.AND, "&&", start + 1);
    }
    if (text.startsWith("||", at)) {
      at += 2;
      return new Token(Kind.OR, "||", start + 1);
    }
    if (c == '.' && at + 1 < text.length() && !Character.isDigit(text.charAt(at + 1))) {
      at++;
      return attribute(".", start);
    }
    if (Character.isDigit(c)
        || (c == '-' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1)))
        || (c == '.' && at + 1 < text.length())) {
      return number(start);
    }
    for (String op : OPERATORS) {
      if (text.startsWith(op, at)) {
        at += op.length();
        return new Token(Kind.OPERATOR, op, start + 1);
      }
    }
    if (c == '|') {
      return single(Kind.PIPE);
    }
    if (Character.isLetter(c) || c == '_') {
      return word(start);
    }
    at++;
    return new Token(Kind.PUNCTUATION, String.valueOf(c), start + 1);
  }

  private Token single(Kind kind) {
    at++;
    return new Token(kind, text.substring(at - 1, at), at);
  }

  private Token word(int start) {
    while (at < text.length()
        && (Character.isLetterOrDigit(text.charAt(at))
            || text.charAt(at) == '_'
            || text.charAt(at) == ':')) {
      at++;
    }
    String word = text.substring(start, at);
    if (at < text.length() && text.charAt(at) == '.' && !word.contains(":")) {
      at++;
      return attribute(word + ".", start);
    }
    return new Token(Kind.WORD, word, start + 1);
  }

  /** After {@code scope.}: a bare name up to white space or an operator, or a quoted one. */
  private Token attribute(String scope, int start) {
    String key;
    if (at < text.length() && text.charAt(at) == '"') {
      key = string('"').text();
    } else {
      int keyStart = at;
      while (at < text.length()
          && !Character.isWhitespace(text.charAt(at))
          && !NAME_ENDS.contains(text.charAt(at))) {
        at++;
      }
      key = text.substring(keyStart, at);
    }
    if (key.isEmpty()) {
      throw TraceQl.refused("an attribute name after '" + scope + "'", start + 1);
    }
    return new Token(Kind.ATTRIBUTE, scope + key, start + 1);
  }

  private Token string(char quote) {
    int start = at;
    at++;
    StringBuilder out = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == quote) {
        return new Token(Kind.STRING, out.toString(), start + 1);
      }
      if (c == '\\' && quote == '"') {
        if (at >= text.length()) {
          break;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case '\\', '"' -> out.append(escaped);
          default -> out.append('\\').append(escaped); // regex escapes such as \d stay
        }
      } else {
        out.append(c);
      }
    }
    throw TraceQl.refused("a string that is never closed", start + 1);
  }

  /** A number, or a duration when a unit follows at once ({@code 300ms}, {@code 1.5s}). */
  private Token number(int start) {
    if (text.charAt(at) == '-') {
      at++;
    }
    while (at < text.length()
        && (Character.isDigit(text.charAt(at))
            || text.charAt(at) == '.'
            || ((text.charAt(at) == 'e' || text.charAt(at) == 'E')
                && at + 1 < text.length()
                && (Character.isDigit(text.charAt(at + 1)) || text.charAt(at + 1) == '-')))) {
      if (text.charAt(at) == 'e' || text.charAt(at) == 'E') {
        at++;
      }
      at++;
    }
    int unitStart = at;
    while (at < text.length() && (Character.isLetter(text.charAt(at)))) {
      at++;
    }
    String number = text.substring(start, unitStart);
    String unit = text.substring(unitStart, at);
    if (unit.isEmpty()) {
      return new Token(Kind.NUMBER, number, start + 1);
    }
    return new Token(Kind.DURATION, number + unit, start + 1);
  }
}
