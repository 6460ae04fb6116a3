package dev.glust.bootstrap;

import static dev.glust.bootstrap.Allowed.bool;
import static dev.glust.bootstrap.Allowed.decimal;
import static dev.glust.bootstrap.Allowed.duration;
import static dev.glust.bootstrap.Allowed.durationOrEmpty;
import static dev.glust.bootstrap.Allowed.integer;
import static dev.glust.bootstrap.Allowed.jdbcUrlOrEmpty;
import static dev.glust.bootstrap.Allowed.nonBlank;
import static dev.glust.bootstrap.Allowed.oneOf;
import static dev.glust.bootstrap.Allowed.port;
import static dev.glust.bootstrap.Allowed.readableFileOrEmpty;
import static dev.glust.bootstrap.Allowed.text;

import java.time.Duration;

/**
 * Every GLUST_* setting: its environment variable, the Micronaut property application.yml maps it
 * to (none: read before Micronaut starts), its default, what it accepts and what it means. The one
 * list behind --help and the start-up check ({@link ConfiguredSettings}); a test holds
 * application.yml to it.
 */
enum Setting {
  HTTP_PORT(
      "micronaut.server.port",
      "8080",
      integer(-1, 65535),
      "port of the query API, web explorer, /health and /metrics (-1: any free port)"),
  CORS_ENABLED("micronaut.server.cors.enabled", "false", bool(), "answer CORS requests"),
  CORS_ALLOWED_ORIGINS(
      "micronaut.server.cors.configurations.api.allowed-origins",
      "",
      text(),
      "origins allowed to call the API from a browser, comma-separated"),
  MODE(
      "glust.mode",
      "all",
      oneOf("all", "receiver", "writer"),
      "all: receive and store; receiver: OTLP to Kafka; writer: Kafka to PostgreSQL"),
  KAFKA_BOOTSTRAP(
      "glust.kafka.bootstrap",
      "",
      text(),
      "Kafka brokers (host:port,…); needed by receiver, writer"),
  KAFKA_TOPIC_PREFIX("glust.kafka.topic-prefix", "glust.", text(), "prefix of the Kafka topics"),
  KAFKA_PARTITIONS(
      "glust.kafka.partitions", "12", integer(1, Integer.MAX_VALUE), "partitions per new topic"),
  KAFKA_REPLICATION_FACTOR(
      "glust.kafka.replication-factor",
      "1",
      integer(1, Short.MAX_VALUE),
      "replicas per new topic partition"),
  KAFKA_MIN_INSYNC_REPLICAS(
      "glust.kafka.min-insync-replicas",
      "0",
      integer(0, Short.MAX_VALUE),
      "replicas a write needs (0: 2, or 1 when the replication factor is 1)"),
  KAFKA_GROUP("glust.kafka.group", "glust-writers", nonBlank(), "consumer group of the writers"),
  KAFKA_CONSUMERS(
      "glust.kafka.consumers",
      "1",
      integer(1, Integer.MAX_VALUE),
      "Kafka consumers per writer process"),
  KAFKA_PUBLISH_TIMEOUT(
      "glust.kafka.publish-timeout",
      "5s",
      duration(Duration.ofSeconds(1)),
      "how long a receiver waits for Kafka to acknowledge a request"),
  STORAGE(
      "glust.storage",
      "postgres",
      oneOf(StorageProviders.names().toArray(String[]::new)),
      "storage adapter: the name of a StorageProvider on the classpath (postgres ships)"),
  DATA_DIR("glust.data-dir", "./data", nonBlank(), "data directory of the embedded PostgreSQL"),
  DB_URL(
      "glust.db.url",
      "",
      jdbcUrlOrEmpty(),
      "PostgreSQL to use (jdbc:postgresql://host/db); empty: start an embedded one"),
  DB_USER("glust.db.user", "", text(), "PostgreSQL user owning the schema (migrations)"),
  DB_PASSWORD("glust.db.password", "", text(), "PostgreSQL password"),
  DB_SERVICE_USER(
      "glust.db.service-user",
      "",
      text(),
      "PostgreSQL login role ingest and queries use (owns nothing, tenant policies apply)"),
  DB_SERVICE_PASSWORD("glust.db.service-password", "", text(), "the service role's password"),
  DB_POOL_SIZE(
      "glust.db.pool-size",
      "12",
      integer(1, Integer.MAX_VALUE),
      "connections for ingest writers, partition upkeep and health probes"),
  DB_QUERY_POOL_SIZE(
      "glust.db.query-pool-size", "4", integer(1, Integer.MAX_VALUE), "connections for queries"),
  DB_CONNECT_TIMEOUT(
      "glust.db.connect-timeout",
      "5s",
      duration(Duration.ofMillis(1)),
      "how long to wait for a database connection"),
  PARTITION_INTERVAL(
      "glust.partitions.interval", "1d", Allowed.wholeHours(), "time range of one table partition"),
  PARTITIONS_AHEAD(
      "glust.partitions.ahead",
      "2",
      integer(0, Integer.MAX_VALUE),
      "partitions created ahead of time"),
  RETENTION(
      "glust.partitions.retention",
      "0s",
      duration(Duration.ZERO),
      "how long records are kept (0s: forever)"),
  SPANS_RETENTION(
      "glust.partitions.spans-retention",
      "",
      durationOrEmpty(Duration.ZERO),
      "how long spans are kept (empty: GLUST_RETENTION)"),
  LOGS_RETENTION(
      "glust.partitions.logs-retention",
      "",
      durationOrEmpty(Duration.ZERO),
      "how long logs are kept (empty: GLUST_RETENTION)"),
  METRICS_RETENTION(
      "glust.partitions.metrics-retention",
      "",
      durationOrEmpty(Duration.ZERO),
      "how long metric points and idle series are kept (empty: GLUST_RETENTION)"),
  PARTITION_MAINTENANCE_EVERY(
      "glust.partitions.maintenance-every",
      "10m",
      duration(Duration.ofMillis(1)),
      "how often partitions are created, sealed and dropped"),
  MAX_NEW_PARTITIONS_PER_BATCH(
      "glust.partitions.max-new-per-batch",
      "16",
      integer(1, Integer.MAX_VALUE),
      "new partitions (of one table) one batch may need; more: refused as bad data"),
  SEAL_AFTER(
      "glust.partitions.seal-after",
      "1h",
      duration(Duration.ZERO),
      "when a partition gets its read-only indexes, after its range ends"),
  SPAN_ROLLUPS(
      "glust.span-rollups",
      "on",
      oneOf("on", "off", "true", "false"),
      "add up rate, errors and durations per operation and minute as spans are stored"),
  QUERY_TIMEOUT(
      "glust.query.timeout",
      "30s",
      duration(Duration.ofMillis(1)),
      "a longer query is cancelled (503)"),
  QUERY_MAX_RANGE(
      "glust.query.max-range",
      "31d",
      duration(Duration.ofMillis(1)),
      "the longest time range one query may cover (400)"),
  EMBEDDED_DB_PORT("glust.embedded-db.port", "0", port(), "port of the embedded PostgreSQL"),
  OTLP_HOST("glust.otlp.host", "0.0.0.0", nonBlank(), "address the OTLP receivers listen on"),
  OTLP_GRPC_PORT("glust.otlp.grpc-port", "4317", port(), "OTLP/gRPC port"),
  OTLP_HTTP_PORT("glust.otlp.http-port", "4318", port(), "OTLP/HTTP port"),
  MAX_REQUEST_BYTES(
      "glust.otlp.max-request-bytes",
      "20971520",
      integer(1, Integer.MAX_VALUE - 1),
      "largest OTLP request body, in bytes (413)"),
  MAX_RECORDS_PER_REQUEST(
      "glust.otlp.max-records-per-request",
      "100000",
      integer(1, Integer.MAX_VALUE),
      "most records in one OTLP request"),
  MAX_QUEUE_WAIT(
      "glust.otlp.max-queue-wait",
      "1s",
      duration(Duration.ofMillis(1)),
      "a request waiting longer for a decoding thread is refused (503, retry)"),
  DECODE_QUEUE_MAX(
      "glust.otlp.max-decode-queue",
      "64",
      integer(1, Integer.MAX_VALUE),
      "requests waiting for a decoding thread; one more is refused (503, retry)"),
  BATCH_MAX_RECORDS(
      "glust.pipeline.max-batch-records",
      "10000",
      integer(1, Integer.MAX_VALUE),
      "most records written in one database batch"),
  BATCH_LINGER(
      "glust.pipeline.linger",
      "10ms",
      duration(Duration.ZERO),
      "how long a batch waits for more records"),
  QUEUE_MAX_RECORDS(
      "glust.pipeline.max-queued-records",
      "50000",
      integer(1, Long.MAX_VALUE),
      "records queued per signal before requests are refused (503)"),
  QUEUE_MAX_BYTES(
      "glust.pipeline.max-queued-bytes",
      "0",
      integer(0, Long.MAX_VALUE),
      "request bytes queued per signal (0: an eighth of the heap)"),
  WRITERS(
      "glust.pipeline.writers",
      "0",
      integer(0, Integer.MAX_VALUE),
      "database writers per signal (0: one per core, at least 2)"),
  SHUTDOWN_GRACE(
      "glust.shutdown.grace",
      "20s",
      duration(Duration.ZERO),
      "how long queued records may take to be written at shutdown"),
  MAX_ATTRIBUTES(
      "glust.limits.max-attributes",
      "128",
      integer(0, Integer.MAX_VALUE),
      "attributes kept per record"),
  MAX_ATTRIBUTE_LENGTH(
      "glust.limits.max-attribute-length",
      "-1",
      integer(-1, Integer.MAX_VALUE),
      "longest attribute value (-1: no limit)"),
  MAX_ATTRIBUTE_KEY_LENGTH(
      "glust.limits.max-attribute-key-length",
      "1024",
      integer(-1, Integer.MAX_VALUE),
      "longest attribute key (-1: no limit)"),
  MAX_VALUE_DEPTH(
      "glust.limits.max-value-depth",
      "10",
      integer(1, Integer.MAX_VALUE),
      "deepest nesting of attribute values"),
  MAX_LOG_BODY_LENGTH(
      "glust.limits.max-log-body-length",
      "262144",
      integer(-1, Integer.MAX_VALUE),
      "longest log body (-1: no limit)"),
  MAX_CLOCK_SKEW(
      "glust.limits.max-clock-skew",
      "1h",
      duration(Duration.ZERO),
      "how far in the future a record's time may be"),
  MAX_RECORD_AGE(
      "glust.limits.max-record-age",
      "7d",
      duration(Duration.ofMillis(1)),
      "older records are refused (a signal's retention, when set, replaces it)"),
  API_KEYS("glust.security.api-keys", "", text(), "API keys (see docs/security.md); empty: off"),
  API_KEYS_FILE(
      "glust.security.api-keys-file",
      "",
      readableFileOrEmpty(),
      "a file of API keys, one per line"),
  OPEN_PATHS(
      "glust.security.open-paths", "/health,/metrics", text(), "paths served without an API key"),
  RATE_LIMIT(
      "glust.security.rate-limit.per-second",
      "0",
      decimal(0, Double.MAX_VALUE),
      "requests per second per client (0: no limit)"),
  RATE_LIMIT_BURST(
      "glust.security.rate-limit.burst",
      "0",
      integer(0, Integer.MAX_VALUE),
      "burst of requests per client (0: the rate)"),
  RATE_LIMIT_MAX_CLIENTS(
      "glust.security.rate-limit.max-clients",
      "10000",
      integer(1, Integer.MAX_VALUE),
      "clients tracked by the rate limiter"),
  TENANTS(
      "glust.tenants.file",
      "",
      readableFileOrEmpty(),
      "a YAML file of per-tenant limits and retention (see docs/tenants.md); reloaded on change"),
  TENANTS_CHECK_EVERY(
      "glust.tenants.check-every",
      "5s",
      duration(Duration.ofMillis(100)),
      "how often the tenants file is checked for changes"),
  TLS_CERT_FILE(
      "glust.tls.cert-file", "", readableFileOrEmpty(), "PEM certificate for OTLP over TLS"),
  TLS_KEY_FILE("glust.tls.key-file", "", readableFileOrEmpty(), "PEM private key for OTLP TLS"),
  SELF_TRACING_ENDPOINT(
      "glust.self-tracing.endpoint",
      "",
      text(),
      "OTLP/gRPC endpoint for Glust's own traces (empty: off)"),
  SELF_TRACING_SERVICE_NAME(
      "glust.self-tracing.service-name", "glust", nonBlank(), "service.name of Glust's traces"),
  SELF_TRACING_HEADERS("glust.self-tracing.headers", "", text(), "exporter headers, name=value,…"),
  SELF_TRACING_SAMPLE_RATIO(
      "glust.self-tracing.sample-ratio", "1.0", decimal(0, 1), "share of traces kept"),
  SELF_TRACING_EXPORT_DELAY(
      "glust.self-tracing.export-delay",
      "5s",
      duration(Duration.ofMillis(1)),
      "how long spans wait to be sent in a batch"),
  LOG_FORMAT(
      null,
      "auto",
      oneOf("auto", "text", "json"),
      "console log format; auto: text at a terminal, else JSON lines"),
  LOG_LEVEL(null, "info", Allowed.logLevel(), "level of the root logger"),
  LOG_LEVELS(
      null,
      "",
      Allowed.logLevels(),
      "levels per logger, e.g. dev.glust.adapter.postgres=debug,org.apache.kafka=warn"),
  CONFIG(
      null,
      "",
      readableFileOrEmpty(),
      "a YAML file of settings (GLUST_HTTP_PORT: 9090); the environment wins over it");

  /** The environment variable, e.g. {@code GLUST_HTTP_PORT}. */
  final String variable;

  /** The Micronaut property, or null: read before Micronaut starts. */
  final String property;

  final String defaultValue;
  final Allowed allowed;
  final String meaning;

  Setting(String property, String defaultValue, Allowed allowed, String meaning) {
    this.variable = "GLUST_" + name();
    this.property = property;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.meaning = meaning;
  }

  /** Refuses a value this setting does not accept. */
  void check(String value) {
    if (!allowed.accepts().test(value)) {
      throw new SettingException(variable, value, allowed.description());
    }
  }

  /** The --help text: one line per setting. */
  static String help() {
    StringBuilder help =
        new StringBuilder(
            """
            Usage: java -jar glust.jar [--help | --version]
                   java -jar glust.jar demo [--help]   sends a demo shop's telemetry to a running Glust

            Settings are environment variables, or keys of the YAML file GLUST_CONFIG names
            (the environment wins). Durations: 10ms, 30s, 10m, 1h, 7d.

            """);
    for (Setting setting : values()) {
      help.append(
          String.format(
              "  %-36s %-18s %s%n",
              setting.variable,
              setting.defaultValue.isEmpty() ? "(empty)" : setting.defaultValue,
              setting.meaning));
    }
    return help.toString();
  }
}
