package dev.glust.bootstrap;

import dev.glust.adapter.postgres.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GlustApplication.main in a process of its own, on the test classpath (the jar is built after the
 * tests), with the environment it is given and nothing GLUST_* inherited. Its output goes to a file
 * under target/, read while it runs.
 */
final class GlustProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private GlustProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts main with these arguments and settings; stdout is a pipe, not a terminal. */
  static GlustProcess start(String name, Map<String, String> settings, String... args)
      throws IOException {
    return start(name, false, settings, args);
  }

  /**
   * @param terminal run under {@code script}, so that stdin and stdout are a pseudo-terminal (as
   *     when a person starts Glust in a shell); its stderr then arrives on stdout
   */
  static GlustProcess start(
      String name, boolean terminal, Map<String, String> settings, String... args)
      throws IOException {
    List<String> java = new ArrayList<>();
    java.add(ProcessHandle.current().info().command().orElse("java"));
    java.add("-Xmx256m");
    java.add("-XX:TieredStopAtLevel=1"); // starts faster
    // the service's own logging, not the tests' logback-test.xml on the same classpath
    java.add("-Dlogback.configurationFile=logback.xml");
    java.add("-cp");
    java.add(System.getProperty("java.class.path"));
    java.add(GlustApplication.class.getName());
    java.addAll(List.of(args));
    List<String> command = java;
    if (terminal) {
      command = List.of("script", "-qec", shellQuoted(java), "/dev/null");
    }
    Path dir = Files.createDirectories(Path.of("target", "glust-process"));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE); // stays open: script ends at its EOF
    builder.environment().keySet().removeIf(variable -> variable.startsWith("GLUST_"));
    builder.environment().putAll(settings);
    return new GlustProcess(builder.start(), out, err);
  }

  /** Settings for a service on free ports and a fresh database of the test PostgreSQL. */
  static Map<String, String> onTestDatabase(int httpPort) throws IOException {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    return Map.of(
        "GLUST_DB_URL",
        db.jdbcUrl(),
        "GLUST_DB_USER",
        db.user(),
        "GLUST_DB_PASSWORD",
        db.password(),
        "GLUST_DB_SERVICE_USER",
        TestPostgres.SERVICE_USER,
        "GLUST_DB_SERVICE_PASSWORD",
        TestPostgres.SERVICE_PASSWORD,
        "GLUST_HTTP_PORT",
        Integer.toString(httpPort),
        "GLUST_OTLP_HOST",
        "127.0.0.1",
        "GLUST_OTLP_GRPC_PORT",
        "0",
        "GLUST_OTLP_HTTP_PORT",
        "0");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits for the process to end by itself; its exit status. */
  int exitStatus() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("glust did not end; output: " + stdout);
    }
    return process.exitValue();
  }

  /** Waits until stdout holds a line containing {@code text}; all of stdout then. */
  String awaitOutput(String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String output = stdout();
      if (output.contains(text)) {
        return output;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "glust ended (" + process.exitValue() + ") before logging '" + text + "': " + output);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no '" + text + "' in time; output: " + stdout());
  }

  String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String shellQuoted(List<String> words) {
    StringBuilder line = new StringBuilder("exec");
    for (String word : words) {
      line.append(" '").append(word.replace("'", "'\\''")).append('\'');
    }
    return line.toString();
  }
}
