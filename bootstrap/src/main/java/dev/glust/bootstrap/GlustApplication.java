package dev.glust.bootstrap;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

/**
 * Starts Glust: settings checked first, then storage, then the OTLP receivers and the HTTP API.
 * {@code --help} lists the settings, {@code --version} prints the version.
 */
public final class GlustApplication {
  /** Exit status for a setting Glust cannot use (as for a command-line usage error). */
  static final int BAD_SETTING = 2;

  private GlustApplication() {}

  public static void main(String[] args) {
    switch (args.length == 0 ? "" : args[0]) {
      case "--help", "-h" -> System.out.print(Setting.help());
      case "--version" -> System.out.println("glust " + GlustVersion.current());
      default -> serve(args);
    }
  }

  private static void serve(String[] args) {
    ConfiguredSettings settings;
    try {
      settings = ConfiguredSettings.read(System.getenv());
    } catch (SettingException e) {
      refuse(e);
      return;
    }
    new Micronaut() {
      /** A setting refused while the beans are made (e.g. by a record's constructor): one line. */
      @Override
      protected void handleStartupException(Environment environment, Throwable failure) {
        SettingException.in(failure).ifPresent(GlustApplication::refuse);
        super.handleStartupException(environment, failure);
      }
    }.args(args)
        .mainClass(GlustApplication.class)
        .banner(false)
        .properties(settings.fileProperties())
        .start();
  }

  private static void refuse(SettingException e) {
    System.err.println("glust: " + e.getMessage());
    System.exit(BAD_SETTING);
  }
}
