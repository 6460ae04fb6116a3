package dev.glust.application.port.model;

import java.util.Optional;

/** How many items to return, at most {@link #MAX_LIMIT}, and after which position. */
public record PageRequest(int limit, Optional<PageCursor> after) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    after = after == null ? Optional.empty() : after;
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty());
  }
}
