package dev.glust.application.port.model;

import java.util.List;
import java.util.Optional;

/** One page of results, newest first, and where the next one starts (empty at the end). */
public record Page<T>(List<T> items, Optional<PageCursor> next) {
  public Page {
    items = List.copyOf(items);
  }
}
