package dev.glust.adapter.query.loki;

import java.util.Map;

/** The logfmt line format: {@code key=value key="quoted value" flag}. */
final class Logfmt {
  private Logfmt() {}

  /** Adds the line's pairs to {@code fields}; false when the line is not logfmt. */
  static boolean parse(String line, Map<String, String> fields) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      int keyStart = i;
      while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
        i++;
      }
      if (i == keyStart) {
        return false; // '=' or '"' where a key should start
      }
      String key = line.substring(keyStart, i);
      if (i >= n || line.charAt(i) != '=') {
        fields.put(key, ""); // a bare key
        continue;
      }
      i++; // '='
      if (i < n && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < n) {
            char escaped = line.charAt(i++);
            value.append(
                switch (escaped) {
                  case 'n' -> '\n';
                  case 't' -> '\t';
                  case 'r' -> '\r';
                  default -> escaped;
                });
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          return false;
        }
        fields.put(key, value.toString());
      } else {
        int valueStart = i;
        while (i < n && line.charAt(i) > ' ') {
          i++;
        }
        fields.put(key, line.substring(valueStart, i));
      }
    }
    return true;
  }
}
