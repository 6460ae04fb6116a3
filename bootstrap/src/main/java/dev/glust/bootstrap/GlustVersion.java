package dev.glust.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, written into glust-version.properties by the build (resource filtering). */
final class GlustVersion {
  private static final String RESOURCE = "/glust-version.properties";

  private GlustVersion() {}

  static String current() {
    try (InputStream in = GlustVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
