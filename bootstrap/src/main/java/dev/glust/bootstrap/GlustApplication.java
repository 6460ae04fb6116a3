package dev.glust.bootstrap;

import io.micronaut.runtime.Micronaut;

/** Starts Glust: storage first, then the OTLP receivers and the HTTP API. */
public final class GlustApplication {
  private GlustApplication() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(GlustApplication.class).banner(false).start();
  }
}
