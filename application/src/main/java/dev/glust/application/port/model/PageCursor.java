package dev.glust.application.port.model;

import java.util.Objects;

/**
 * Where a page ended, as a keyset position: the sort time of its last item and a key that breaks
 * ties between items of the same time (storage decides what the key is). Newest-first pages
 * continue strictly below this position, so pages neither skip nor repeat.
 */
public record PageCursor(long timeUnixNano, String key) {
  public PageCursor {
    key = Objects.requireNonNull(key, "cursor key");
  }
}
