package dev.glust.bootstrap;

import io.micronaut.runtime.Micronaut;
import java.util.Arrays;

/**
 * Starts Glust: storage first, then the OTLP receivers and the HTTP API; {@code demo} sends demo
 * traffic to a running Glust instead ({@link DemoTraffic}).
 */
public final class GlustApplication {
  private GlustApplication() {}

  public static void main(String[] args) {
    switch (args.length == 0 ? "" : args[0]) {
      case "demo" -> DemoTraffic.main(Arrays.copyOfRange(args, 1, args.length));
      default -> Micronaut.build(args).mainClass(GlustApplication.class).banner(false).start();
    }
  }
}
