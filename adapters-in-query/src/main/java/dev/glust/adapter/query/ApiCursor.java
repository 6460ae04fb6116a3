package dev.glust.adapter.query;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.PageCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code cursor} of the native API: the keyset position of the last item plus the {@code
 * end} of the first page's range, pinned so that records arriving while a client pages cannot push
 * items across page boundaries.
 */
record ApiCursor(long pinnedEndUnixNano, PageCursor position) {
  private static final String VERSION = "1";

  String encode() {
    String plain =
        VERSION + ":" + pinnedEndUnixNano + ":" + position.timeUnixNano() + ":" + position.key();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static Optional<ApiCursor> decode(Optional<String> cursor) {
    return cursor.map(ApiCursor::decode);
  }

  private static ApiCursor decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = plain.split(":", 4);
      if (parts.length != 4 || !parts[0].equals(VERSION)) {
        throw new IllegalArgumentException("unknown cursor format");
      }
      return new ApiCursor(
          Long.parseLong(parts[1]), new PageCursor(Long.parseLong(parts[2]), parts[3]));
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("cursor", "not a cursor this API returned");
    }
  }
}
