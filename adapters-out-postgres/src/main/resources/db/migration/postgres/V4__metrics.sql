-- OTLP metrics, stored for series queries: one row per series (a metric stream as the OTel data
-- model identifies it), one row per data point in the point table of the metric's kind. Point
-- tables are range-partitioned by time like spans and logs (PostgresPartitions creates and
-- expires their partitions); a point's identity (series, time) makes retried exports store once.
--
-- series_id: the first 16 bytes of SHA-256 over the series identity: metric name, kind, unit,
-- temporality, monotonicity, resource (attributes and schema URL), scope (name, version,
-- attributes, schema URL) and the data point's attributes. The description is not part of it.
--
-- Exemplars (JSONB array, in the point's row) have the shape of span events in `spans.events`:
--   {"timeUnixNano": <number>, "value": <attribute-value JSON of asInt or asDouble>,
--    "traceId": "<hex>", "spanId": "<hex>",   (both absent when the exemplar has none)
--    "filteredAttributes": {<attributes JSON>}, "droppedAttributesCount": <number>}
-- Unsigned 64-bit OTLP counts are stored in BIGINT (a count beyond 2^63 - 1 cannot occur in
-- practice; the mapper refuses it rather than wrap).

CREATE TABLE metric_series (
    series_id                         BYTEA       PRIMARY KEY,
    metric_name                       TEXT        NOT NULL,
    -- 1 gauge, 2 sum, 3 histogram, 4 exponential histogram, 5 summary
    metric_kind                       SMALLINT    NOT NULL,
    unit                              TEXT        NOT NULL,
    description                       TEXT        NOT NULL,
    -- OTLP AggregationTemporality: 0 unspecified (gauge, summary), 1 delta, 2 cumulative
    temporality                       SMALLINT    NOT NULL,
    monotonic                         BOOLEAN     NOT NULL,
    service_name                      TEXT        NOT NULL,
    resource_attributes               JSONB       NOT NULL,
    resource_dropped_attributes_count INTEGER     NOT NULL,
    resource_schema_url               TEXT        NOT NULL,
    scope_name                        TEXT        NOT NULL,
    scope_version                     TEXT        NOT NULL,
    scope_attributes                  JSONB       NOT NULL,
    scope_dropped_attributes_count    INTEGER     NOT NULL,
    scope_schema_url                  TEXT        NOT NULL,
    -- the data point's attributes: the series' labels
    attributes                        JSONB       NOT NULL,
    -- when points of the series were first and last written (last_seen may lag by up to an
    -- hour: the writer refreshes it at most hourly); retention deletes series unseen since
    first_seen                        TIMESTAMPTZ NOT NULL,
    last_seen                         TIMESTAMPTZ NOT NULL
);

CREATE INDEX metric_series_name_idx ON metric_series (metric_name, last_seen DESC);
CREATE INDEX metric_series_service_idx ON metric_series (service_name, metric_name);
CREATE INDEX metric_series_last_seen_idx ON metric_series (last_seen);
CREATE INDEX metric_series_attributes_idx ON metric_series USING gin (attributes jsonb_path_ops);

-- Gauges and sums: exactly one of value_double / value_int (OTLP's as_double / as_int).
CREATE TABLE metric_points_number (
    series_id            BYTEA            NOT NULL,
    timestamp            TIMESTAMPTZ      NOT NULL,
    time_unix_nano       BIGINT           NOT NULL,
    -- 0 when the point has no start (gauges)
    start_time_unix_nano BIGINT           NOT NULL,
    value_double         DOUBLE PRECISION,
    value_int            BIGINT,
    flags                INTEGER          NOT NULL,
    exemplars            JSONB            NOT NULL,
    CHECK (num_nonnulls(value_double, value_int) = 1)
) PARTITION BY RANGE (timestamp);
CREATE UNIQUE INDEX metric_points_number_identity_idx
    ON metric_points_number (series_id, timestamp, time_unix_nano);

-- Explicit-bucket histograms: bucket_counts has one more element than explicit_bounds (or both
-- are empty); sum, min and max are optional in OTLP and NULL when absent.
CREATE TABLE metric_points_histogram (
    series_id            BYTEA              NOT NULL,
    timestamp            TIMESTAMPTZ        NOT NULL,
    time_unix_nano       BIGINT             NOT NULL,
    start_time_unix_nano BIGINT             NOT NULL,
    count                BIGINT             NOT NULL,
    sum                  DOUBLE PRECISION,
    min                  DOUBLE PRECISION,
    max                  DOUBLE PRECISION,
    bucket_counts        BIGINT[]           NOT NULL,
    explicit_bounds      DOUBLE PRECISION[] NOT NULL,
    flags                INTEGER            NOT NULL,
    exemplars            JSONB              NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE UNIQUE INDEX metric_points_histogram_identity_idx
    ON metric_points_histogram (series_id, timestamp, time_unix_nano);

-- Exponential histograms: bucket i of a side covers (base^(offset+i), base^(offset+i+1)] with
-- base = 2^(2^-scale).
CREATE TABLE metric_points_exp_histogram (
    series_id              BYTEA            NOT NULL,
    timestamp              TIMESTAMPTZ      NOT NULL,
    time_unix_nano         BIGINT           NOT NULL,
    start_time_unix_nano   BIGINT           NOT NULL,
    count                  BIGINT           NOT NULL,
    sum                    DOUBLE PRECISION,
    min                    DOUBLE PRECISION,
    max                    DOUBLE PRECISION,
    scale                  INTEGER          NOT NULL,
    zero_count             BIGINT           NOT NULL,
    zero_threshold         DOUBLE PRECISION NOT NULL,
    positive_offset        INTEGER          NOT NULL,
    positive_bucket_counts BIGINT[]         NOT NULL,
    negative_offset        INTEGER          NOT NULL,
    negative_bucket_counts BIGINT[]         NOT NULL,
    flags                  INTEGER          NOT NULL,
    exemplars              JSONB            NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE UNIQUE INDEX metric_points_exp_histogram_identity_idx
    ON metric_points_exp_histogram (series_id, timestamp, time_unix_nano);

-- Summaries (legacy, no exemplars): quantiles[i] is the quantile whose value is quantile_values[i].
CREATE TABLE metric_points_summary (
    series_id            BYTEA              NOT NULL,
    timestamp            TIMESTAMPTZ        NOT NULL,
    time_unix_nano       BIGINT             NOT NULL,
    start_time_unix_nano BIGINT             NOT NULL,
    count                BIGINT             NOT NULL,
    sum                  DOUBLE PRECISION   NOT NULL,
    quantiles            DOUBLE PRECISION[] NOT NULL,
    quantile_values      DOUBLE PRECISION[] NOT NULL,
    flags                INTEGER            NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE UNIQUE INDEX metric_points_summary_identity_idx
    ON metric_points_summary (series_id, timestamp, time_unix_nano);
