package dev.glust.adapter.query;

import dev.glust.application.port.model.InvalidQueryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code k=v k2="v 2"}: the pairs of a logfmt line, as Tempo's older search takes its tags. */
final class Logfmt {
  private Logfmt() {}

  static List<Map.Entry<String, String>> pairs(String line) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    int at = 0;
    int n = line.length();
    while (true) {
      while (at < n && Character.isWhitespace(line.charAt(at))) {
        at++;
      }
      if (at >= n) {
        return out;
      }
      int keyStart = at;
      while (at < n && line.charAt(at) != '=' && !Character.isWhitespace(line.charAt(at))) {
        at++;
      }
      String key = line.substring(keyStart, at);
      if (key.isEmpty() || at >= n || line.charAt(at) != '=') {
        throw new InvalidQueryException("tags", "expected key=value at column " + (keyStart + 1));
      }
      at++;
      StringBuilder value = new StringBuilder();
      if (at < n && line.charAt(at) == '"') {
        at++;
        while (at < n && line.charAt(at) != '"') {
          if (line.charAt(at) == '\\' && at + 1 < n) {
            at++;
          }
          value.append(line.charAt(at++));
        }
        if (at >= n) {
          throw new InvalidQueryException("tags", "a quoted value is never closed");
        }
        at++;
      } else {
        while (at < n && !Character.isWhitespace(line.charAt(at))) {
          value.append(line.charAt(at++));
        }
      }
      out.add(Map.entry(key, value.toString()));
    }
  }
}
