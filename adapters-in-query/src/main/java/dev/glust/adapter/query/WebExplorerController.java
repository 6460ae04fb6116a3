package dev.glust.adapter.query;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web explorer: static files from the jar's {@code ui/} folder, {@code /} being its page. The
 * page itself only calls the public query API.
 */
@Controller
class WebExplorerController {
  /** Plain file names below ui/, no way up: {@code ..} and absolute paths never match. */
  private static final Pattern FILE = Pattern.compile("[a-z0-9-]+(?:/[a-z0-9-]+)*\\.[a-z]+");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=utf-8",
          "js", "text/javascript;charset=utf-8",
          "css", "text/css;charset=utf-8",
          "svg", "image/svg+xml");

  /**
   * Whether a request path is one of the explorer's files (served to anyone: they hold no data).
   */
  static boolean servesStaticFile(String path) {
    return path.equals("/") || path.startsWith("/ui/");
  }

  @Get("/")
  HttpResponse<byte[]> page() {
    return file("index.html");
  }

  @Get("/ui/{+path}")
  HttpResponse<byte[]> file(String path) {
    String extension = path.substring(path.lastIndexOf('.') + 1);
    if (!FILE.matcher(path).matches() || !TYPES.containsKey(extension)) {
      return HttpResponse.notFound();
    }
    return read("ui/" + path)
        .map(
            bytes ->
                HttpResponse.ok(bytes)
                    .contentType(MediaType.of(TYPES.get(extension)))
                    // small files, changed with each release: always revalidate
                    .header("Cache-Control", "no-cache"))
        .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND));
  }

  private static Optional<byte[]> read(String resource) {
    try (InputStream in = WebExplorerController.class.getResourceAsStream("/" + resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
