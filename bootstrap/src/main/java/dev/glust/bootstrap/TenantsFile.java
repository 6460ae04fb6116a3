package dev.glust.bootstrap;

import dev.glust.application.tenant.IngestRate;
import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.domain.tenant.InvalidTenantException;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.core.convert.ConversionService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the tenants file (GLUST_TENANTS, see docs/tenants.md): {@code defaults} and per-tenant
 * overrides, in the shape of Mimir's and Loki's runtime overrides. A tenant's override replaces the
 * defaults field by field. Unknown keys are refused, so a misspelt limit cannot go unnoticed; every
 * refusal names the key it is about ({@code tenants.acme.ingest.records_per_second: …}).
 */
final class TenantsFile {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Long> UNITS =
      Map.of(
          "b", 1L,
          "kb", 1000L,
          "mb", 1000_000L,
          "gb", 1000_000_000L,
          "kib", 1L << 10,
          "mib", 1L << 20,
          "gib", 1L << 30);

  private TenantsFile() {}

  /**
   * @throws IllegalArgumentException naming what is wrong, and where
   */
  static TenantPolicies parse(String yaml) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(
          "not YAML: " + e.getMessage().replaceAll("\\s+", " ").strip(), e);
    }
    if (document == null) {
      return TenantPolicies.NONE;
    }
    Map<String, Object> root = map(document, "the file", Set.of("defaults", "tenants"));
    TenantLimits defaults = limits(root.get("defaults"), "defaults", TenantLimits.UNLIMITED);
    Map<TenantId, TenantLimits> tenants = new HashMap<>();
    if (root.get("tenants") != null) {
      map(root.get("tenants"), "tenants", null)
          .forEach(
              (name, value) -> {
                String where = "tenants." + name;
                TenantId tenant;
                try {
                  tenant = new TenantId(name);
                } catch (InvalidTenantException e) {
                  throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
                tenants.put(tenant, limits(value, where, defaults));
              });
    }
    return within("", () -> new TenantPolicies(defaults, tenants));
  }

  private static TenantLimits limits(Object value, String where, TenantLimits base) {
    if (value == null) {
      return base;
    }
    Map<String, Object> fields =
        map(value, where, Set.of("ingest", "max_active_series", "retention"));
    IngestRate ingest = ingest(fields.get("ingest"), where + ".ingest", base.ingest());
    long maxSeries =
        fields.containsKey("max_active_series")
            ? whole(fields.get("max_active_series"), where + ".max_active_series")
            : base.maxActiveSeries();
    Retention retention =
        retention(fields.get("retention"), where + ".retention", base.retention());
    return within(where, () -> new TenantLimits(ingest, maxSeries, retention));
  }

  private static IngestRate ingest(Object value, String where, IngestRate base) {
    if (value == null) {
      return base;
    }
    Map<String, Object> fields =
        map(value, where, Set.of("records_per_second", "bytes_per_second", "burst_seconds"));
    double records =
        fields.containsKey("records_per_second")
            ? number(fields.get("records_per_second"), where + ".records_per_second")
            : base.recordsPerSecond();
    double bytes =
        fields.containsKey("bytes_per_second")
            ? size(fields.get("bytes_per_second"), where + ".bytes_per_second")
            : base.bytesPerSecond();
    double burst =
        fields.containsKey("burst_seconds")
            ? number(fields.get("burst_seconds"), where + ".burst_seconds")
            : base.burstSeconds();
    return within(where, () -> new IngestRate(records, bytes, burst));
  }

  private static Retention retention(Object value, String where, Retention base) {
    if (value == null) {
      return base;
    }
    Map<String, Object> fields = map(value, where, Set.of("traces", "logs", "metrics"));
    Optional<Duration> traces = duration(fields, "traces", where).or(base::traces);
    Optional<Duration> logs = duration(fields, "logs", where).or(base::logs);
    Optional<Duration> metrics = duration(fields, "metrics", where).or(base::metrics);
    return within(where, () -> new Retention(traces, logs, metrics));
  }

  private static Optional<Duration> duration(Map<String, Object> fields, String key, String where) {
    Object value = fields.get(key);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(
        ConversionService.SHARED
            .convert(String.valueOf(value).strip(), Duration.class)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        where + "." + key + ": " + value + " is not a duration (7d, 12h, 30m)")));
  }

  /** A size: a number of bytes, or one with a unit (50MB, 1.5GB, 512KiB). */
  static double size(Object value, String where) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    Matcher size = SIZE.matcher(String.valueOf(value).strip());
    if (!size.matches()) {
      throw new IllegalArgumentException(
          where + ": " + value + " is not a size (a number of bytes, or 512KB, 50MB, 1GiB)");
    }
    String unit = size.group(2) == null ? "b" : size.group(2).toLowerCase(Locale.ROOT);
    return Double.parseDouble(size.group(1)) * UNITS.get(unit);
  }

  private static double number(Object value, String where) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    throw new IllegalArgumentException(where + ": " + value + " is not a number");
  }

  private static long whole(Object value, String where) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(where + ": " + value + " is not a whole number");
  }

  /** A YAML map with string keys; {@code allowed} null: any key. */
  private static Map<String, Object> map(Object value, String where, Set<String> allowed) {
    if (!(value instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException(where + ": must be a map, not " + value);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    entries.forEach(
        (key, field) -> {
          String name = String.valueOf(key);
          if (allowed != null && !allowed.contains(name)) {
            throw new IllegalArgumentException(
                where
                    + ": unknown key "
                    + name
                    + " (allowed: "
                    + String.join(", ", allowed.stream().sorted().toList())
                    + ")");
          }
          fields.put(name, field);
        });
    return fields;
  }

  /** Builds a value whose constructor checks it, naming where a refusal comes from. */
  private static <T> T within(String where, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where.isEmpty() ? e.getMessage() : where + ": " + e.getMessage(), e);
    }
  }
}
