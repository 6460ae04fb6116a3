package dev.glust.adapter.query;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the API description, {@code /openapi.yml}, from the jar. */
@Controller
class OpenApiController {
  private final byte[] document;

  OpenApiController() {
    try (InputStream in = OpenApiController.class.getResourceAsStream("/openapi.yml")) {
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get("/openapi.yml")
  HttpResponse<byte[]> openapi() {
    return HttpResponse.ok(document).contentType(MediaType.of("application/yaml"));
  }
}
