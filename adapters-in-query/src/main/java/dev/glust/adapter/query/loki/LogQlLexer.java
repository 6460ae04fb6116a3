package dev.glust.adapter.query.loki;

import java.util.ArrayList;
import java.util.List;

/** Cuts a LogQL query into tokens; strings come out unescaped. */
final class LogQlLexer {
  enum Kind {
    IDENTIFIER,
    STRING,
    NUMBER,
    DURATION,
    OPEN_BRACE,
    CLOSE_BRACE,
    OPEN_PAREN,
    CLOSE_PAREN,
    OPEN_BRACKET,
    CLOSE_BRACKET,
    COMMA,
    EQUAL,
    NOT_EQUAL,
    REGEX,
    NOT_REGEX,
    PIPE_EXACT,
    PIPE_REGEX,
    PIPE,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    PERCENT,
    CARET,
    DOUBLE_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    LESS,
    LESS_OR_EQUAL,
    END
  }

  record Token(Kind kind, String text, int position) {}

  private final String query;
  private int position;

  private LogQlLexer(String query) {
    this.query = query;
  }

  static List<Token> tokens(String query) {
    LogQlLexer lexer = new LogQlLexer(query);
    List<Token> tokens = new ArrayList<>();
    Token token;
    do {
      token = lexer.next();
      tokens.add(token);
    } while (token.kind() != Kind.END);
    return tokens;
  }

  private Token next() {
    while (position < query.length() && Character.isWhitespace(query.charAt(position))) {
      position++;
    }
    int start = position;
    if (position >= query.length()) {
      return new Token(Kind.END, "", start);
    }
    char c = query.charAt(position);
    if (c == '"' || c == '`') {
      return new Token(Kind.STRING, string(c), start);
    }
    if (Character.isDigit(c) || (c == '.' && peekDigit(1))) {
      return number(start);
    }
    if (c == '_' || Character.isLetter(c)) {
      while (position < query.length()
          && (query.charAt(position) == '_' || Character.isLetterOrDigit(query.charAt(position)))) {
        position++;
      }
      return new Token(Kind.IDENTIFIER, query.substring(start, position), start);
    }
    String two = position + 1 < query.length() ? query.substring(position, position + 2) : "";
    Kind pair =
        switch (two) {
          case "!=" -> Kind.NOT_EQUAL;
          case "=~" -> Kind.REGEX;
          case "!~" -> Kind.NOT_REGEX;
          case "|=" -> Kind.PIPE_EXACT;
          case "|~" -> Kind.PIPE_REGEX;
          case "==" -> Kind.DOUBLE_EQUAL;
          case ">=" -> Kind.GREATER_OR_EQUAL;
          case "<=" -> Kind.LESS_OR_EQUAL;
          default -> null;
        };
    if (pair != null) {
      position += 2;
      return new Token(pair, two, start);
    }
    Kind single =
        switch (c) {
          case '{' -> Kind.OPEN_BRACE;
          case '}' -> Kind.CLOSE_BRACE;
          case '(' -> Kind.OPEN_PAREN;
          case ')' -> Kind.CLOSE_PAREN;
          case '[' -> Kind.OPEN_BRACKET;
          case ']' -> Kind.CLOSE_BRACKET;
          case ',' -> Kind.COMMA;
          case '=' -> Kind.EQUAL;
          case '|' -> Kind.PIPE;
          case '+' -> Kind.PLUS;
          case '-' -> Kind.MINUS;
          case '*' -> Kind.STAR;
          case '/' -> Kind.SLASH;
          case '%' -> Kind.PERCENT;
          case '^' -> Kind.CARET;
          case '>' -> Kind.GREATER;
          case '<' -> Kind.LESS;
          default -> throw LogQlException.at(query, start, "unexpected character '" + c + "'");
        };
    position++;
    return new Token(single, String.valueOf(c), start);
  }

  private boolean peekDigit(int ahead) {
    return position + ahead < query.length() && Character.isDigit(query.charAt(position + ahead));
  }

  /** A number, or a duration when unit letters follow ({@code 5m}, {@code 1h30m}). */
  private Token number(int start) {
    while (position < query.length()
        && (Character.isDigit(query.charAt(position)) || query.charAt(position) == '.')) {
      position++;
    }
    if (position < query.length() && Character.isLetter(query.charAt(position))) {
      while (position < query.length() && Character.isLetterOrDigit(query.charAt(position))) {
        position++;
      }
      return new Token(Kind.DURATION, query.substring(start, position), start);
    }
    return new Token(Kind.NUMBER, query.substring(start, position), start);
  }

  private String string(char quote) {
    int start = position;
    position++; // the opening quote
    StringBuilder out = new StringBuilder();
    while (position < query.length()) {
      char c = query.charAt(position++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\\' && quote == '"') {
        if (position >= query.length()) {
          break;
        }
        char escaped = query.charAt(position++);
        switch (escaped) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case '"', '\\' -> out.append(escaped);
          default -> {
            // Go keeps unknown escapes out of strings; regexes such as "\d" need the backslash
            out.append('\\').append(escaped);
          }
        }
      } else {
        out.append(c);
      }
    }
    throw LogQlException.at(query, start, "unterminated string");
  }
}
