package dev.glust.bootstrap;

import dev.glust.application.tenant.TenantPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant policies of the GLUST_TENANTS file, reloaded without restart: every {@code checkEvery}
 * the file's modification time and size are looked at, and when they changed its content hash; new
 * content is parsed and, when valid, swapped in whole. A broken file keeps the previous policies
 * and says why in one log line (and in {@link #lastReloadSucceeded}); at start it is a
 * configuration error, like any setting's.
 */
final class TenantPoliciesFile implements Supplier<TenantPolicies>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantPoliciesFile.class);

  private final Optional<Path> file;
  private final AtomicReference<TenantPolicies> current;
  private final List<Consumer<TenantPolicies>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checker;
  private volatile boolean lastReloadSucceeded = true;
  private volatile Instant lastSuccess;
  private FileTime seenModified;
  private long seenSize = -1;
  private byte[] seenHash = new byte[0];

  /**
   * @param file the file GLUST_TENANTS names; blank: none (no limits)
   * @throws SettingException when the file cannot be read or is not a valid tenants file
   */
  TenantPoliciesFile(String file, Duration checkEvery) {
    this.file = file.isBlank() ? Optional.empty() : Optional.of(Path.of(file.strip()));
    this.current = new AtomicReference<>(TenantPolicies.NONE);
    this.lastSuccess = Instant.now();
    if (this.file.isEmpty()) {
      checker = null;
      return;
    }
    try {
      check();
    } catch (IOException | IllegalArgumentException e) {
      throw new SettingException(Setting.TENANTS.variable + "=" + file + ": " + problem(e));
    }
    TenantPolicies loaded = current.get();
    LOG.info(
        "tenants: {} tenant(s) with limits of their own from {}, checked every {}",
        loaded.tenants().size(),
        file,
        checkEvery);
    checker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "glust-tenants-file");
              thread.setDaemon(true);
              return thread;
            });
    long every = checkEvery.toMillis();
    checker.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public TenantPolicies get() {
    return current.get();
  }

  /** Told the policies now, and each time a reload swaps in new ones. */
  void onLoad(Consumer<TenantPolicies> listener) {
    listeners.add(listener);
    listener.accept(current.get());
  }

  boolean lastReloadSucceeded() {
    return lastReloadSucceeded;
  }

  /** When the file was last read successfully (or, without a file, when Glust started). */
  Instant lastSuccess() {
    return lastSuccess;
  }

  /** Checks the file once now; what the schedule runs. */
  void reload() {
    try {
      if (check()) {
        LOG.info(
            "tenants: reloaded {} ({} tenant(s) with limits of their own)",
            file.orElseThrow(),
            current.get().tenants().size());
      }
      lastReloadSucceeded = true;
    } catch (IOException | IllegalArgumentException e) {
      if (lastReloadSucceeded) { // one line per breakage, not one per check
        LOG.warn(
            "tenants: {} not reloaded, keeping the previous policies: {}",
            file.orElseThrow(),
            problem(e));
      }
      lastReloadSucceeded = false;
    } catch (RuntimeException e) {
      LOG.error("tenants: checking {} failed", file.orElseThrow(), e);
      lastReloadSucceeded = false;
    }
  }

  /**
   * Loads the file when it changed.
   *
   * @return whether new policies were swapped in
   */
  private synchronized boolean check() throws IOException {
    Path path = file.orElseThrow();
    FileTime modified = Files.getLastModifiedTime(path);
    long size = Files.size(path);
    if (modified.equals(seenModified) && size == seenSize && lastReloadSucceeded) {
      return false;
    }
    byte[] content = Files.readAllBytes(path);
    byte[] hash = sha256(content);
    if (Arrays.equals(hash, seenHash)) {
      seenModified = modified;
      seenSize = size;
      return false; // touched, not changed
    }
    TenantPolicies loaded =
        TenantsFile.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8));
    current.set(loaded);
    seenModified = modified;
    seenSize = size;
    seenHash = hash;
    lastSuccess = Instant.now();
    listeners.forEach(listener -> listener.accept(loaded));
    return true;
  }

  private static String problem(Exception e) {
    return e instanceof IOException ? "cannot read the file (" + e + ")" : e.getMessage();
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    if (checker != null) {
      checker.shutdownNow();
    }
  }
}
