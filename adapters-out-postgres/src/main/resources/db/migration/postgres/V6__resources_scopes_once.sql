-- Fewer bytes per span and log record:
--   * A record's resource and instrumentation scope are stored once, in `resources` and `scopes`,
--     and referenced by id (the writer inserts the few distinct ones of a batch in the batch's
--     transaction, before its rows). `service_name` stays in the row: it leads the (service, time)
--     indexes and is the hottest filter. Resources and scopes are never deleted (there are few;
--     a retention that deleted unreferenced ones would race with writers that know their ids).
--   * Times are kept once, exactly: the TIMESTAMPTZ (microseconds; partition key, indexes) plus
--     the sub-microsecond rest in a SMALLINT (0..999); a span's end is its duration in
--     nanoseconds; a log record's observed time is its offset in nanoseconds from the record's
--     time, and `own_time` says whether the record had a time of its own (OTLP timeUnixNano != 0)
--     or its time is the observed time.
--   * Columns are ordered by alignment (8-byte, 4-byte, 2-byte, 1-byte, then variable length), so
--     no padding sits between them.
-- Rows already stored are moved into new partitions with the same names and ranges. The read
-- indexes of sealed partitions (PartitionSealer) go with the old tables and are built again.
--
-- The id of a resource or scope: the first 16 bytes of SHA-256 over the text of a JSONB array of
-- its fields, glust_resource_id and glust_scope_id below. JSONB's text is canonical (keys sorted,
-- each value with its OTLP type, see JsonbCodec), and the writer asks these functions for the id
-- of any resource or scope it has not met yet, so there is one definition of an id.

CREATE FUNCTION glust_resource_id(attributes JSONB, dropped_attributes_count INTEGER,
    schema_url TEXT) RETURNS BYTEA LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT substring(sha256(convert_to(
        jsonb_build_array(attributes, dropped_attributes_count, schema_url)::text, 'UTF8'))
        FROM 1 FOR 16)
$$;

CREATE FUNCTION glust_scope_id(name TEXT, version TEXT, attributes JSONB,
    dropped_attributes_count INTEGER, schema_url TEXT) RETURNS BYTEA LANGUAGE sql STABLE
    PARALLEL SAFE
AS $$
    SELECT substring(sha256(convert_to(
        jsonb_build_array(name, version, attributes, dropped_attributes_count, schema_url)::text,
        'UTF8')) FROM 1 FOR 16)
$$;

CREATE TABLE resources (
    resource_id              BYTEA   PRIMARY KEY,
    dropped_attributes_count INTEGER NOT NULL,
    schema_url               TEXT    NOT NULL,
    attributes               JSONB   NOT NULL
);
-- attr.<key>=<value> filters match resource attributes here: resource_id IN (SELECT … @> …)
CREATE INDEX resources_attributes_idx ON resources USING gin (attributes jsonb_path_ops);

CREATE TABLE scopes (
    scope_id                 BYTEA   PRIMARY KEY,
    dropped_attributes_count INTEGER NOT NULL,
    name                     TEXT    NOT NULL,
    version                  TEXT    NOT NULL,
    schema_url               TEXT    NOT NULL,
    attributes               JSONB   NOT NULL
);

DROP INDEX spans_identity_idx, spans_service_start_idx, spans_start_idx;
ALTER TABLE spans RENAME TO spans_v5;
DROP INDEX logs_identity_idx, logs_service_time_idx, logs_trace_id_idx, logs_time_idx;
ALTER TABLE logs RENAME TO logs_v5;

CREATE TABLE spans (
    start_time               TIMESTAMPTZ NOT NULL,
    -- end time minus start time
    duration_nanos           BIGINT      NOT NULL,
    flags                    INTEGER     NOT NULL,
    dropped_attributes_count INTEGER     NOT NULL,
    dropped_events_count     INTEGER     NOT NULL,
    dropped_links_count      INTEGER     NOT NULL,
    -- start time = start_time (microseconds) + start_time_nanos
    start_time_nanos         SMALLINT    NOT NULL,
    span_kind                SMALLINT    NOT NULL,
    status_code              SMALLINT    NOT NULL,
    trace_id                 BYTEA       NOT NULL,
    span_id                  BYTEA       NOT NULL,
    parent_span_id           BYTEA,
    resource_id              BYTEA       NOT NULL,
    scope_id                 BYTEA       NOT NULL,
    service_name             TEXT        NOT NULL,
    span_name                TEXT        NOT NULL,
    trace_state              TEXT        NOT NULL,
    status_message           TEXT        NOT NULL,
    attributes               JSONB       NOT NULL,
    events                   JSONB       NOT NULL,
    links                    JSONB       NOT NULL
) PARTITION BY RANGE (start_time);
CREATE UNIQUE INDEX spans_identity_idx ON spans (trace_id, span_id, start_time);
CREATE INDEX spans_service_start_idx ON spans (service_name, start_time DESC);
CREATE INDEX spans_start_idx ON spans (start_time DESC);

CREATE TABLE logs (
    -- the record's time, or its observed time when it had none (own_time false)
    timestamp                TIMESTAMPTZ NOT NULL,
    -- observed time minus the time above
    observed_offset_nanos    BIGINT      NOT NULL,
    log_id                   BIGINT      GENERATED BY DEFAULT AS IDENTITY,
    flags                    INTEGER     NOT NULL,
    severity_number          INTEGER     NOT NULL,
    dropped_attributes_count INTEGER     NOT NULL,
    -- time = timestamp (microseconds) + timestamp_nanos
    timestamp_nanos          SMALLINT    NOT NULL,
    own_time                 BOOLEAN     NOT NULL,
    log_key                  BYTEA       NOT NULL,
    trace_id                 BYTEA,
    span_id                  BYTEA,
    resource_id              BYTEA       NOT NULL,
    scope_id                 BYTEA       NOT NULL,
    service_name             TEXT        NOT NULL,
    severity_text            TEXT        NOT NULL,
    event_name               TEXT        NOT NULL,
    body                     JSONB,
    log_attributes           JSONB       NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE UNIQUE INDEX logs_identity_idx ON logs (log_key, timestamp);
CREATE INDEX logs_service_time_idx ON logs (service_name, timestamp DESC);
CREATE INDEX logs_trace_id_idx ON logs (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX logs_time_idx ON logs (timestamp DESC, log_id DESC);

-- The same partitions (names and ranges) for the new tables; the old ones get a suffix.
DO $$
DECLARE
    item RECORD;
BEGIN
    FOR item IN
        SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname IN ('spans_v5', 'logs_v5')
        ORDER BY 1
    LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', item.name, item.name || '_v5');
        EXECUTE format('CREATE TABLE %I PARTITION OF %I %s', item.name,
            left(item.parent, -3), item.bound);
    END LOOP;
END $$;

-- DISTINCT over the text: JSONB equality takes 1 and 1.0 for one value, the ids do not.
INSERT INTO resources (resource_id, dropped_attributes_count, schema_url, attributes)
SELECT glust_resource_id(attributes::jsonb, dropped, schema_url), dropped, schema_url,
    attributes::jsonb
FROM (SELECT DISTINCT resource_attributes::text AS attributes,
          resource_dropped_attributes_count AS dropped, resource_schema_url AS schema_url
      FROM spans_v5
      UNION
      SELECT DISTINCT resource_attributes::text, resource_dropped_attributes_count,
          resource_schema_url
      FROM logs_v5
      UNION
      SELECT DISTINCT resource_attributes::text, resource_dropped_attributes_count,
          resource_schema_url
      FROM metric_series) stored
ON CONFLICT DO NOTHING;

INSERT INTO scopes (scope_id, dropped_attributes_count, name, version, schema_url, attributes)
SELECT glust_scope_id(name, version, attributes::jsonb, dropped, schema_url), dropped, name,
    version, schema_url, attributes::jsonb
FROM (SELECT DISTINCT scope_name AS name, scope_version AS version,
          scope_attributes::text AS attributes, scope_dropped_attributes_count AS dropped,
          scope_schema_url AS schema_url
      FROM spans_v5
      UNION
      SELECT DISTINCT scope_name, scope_version, scope_attributes::text,
          scope_dropped_attributes_count, scope_schema_url
      FROM logs_v5
      UNION
      SELECT DISTINCT scope_name, scope_version, scope_attributes::text,
          scope_dropped_attributes_count, scope_schema_url
      FROM metric_series) stored
ON CONFLICT DO NOTHING;

INSERT INTO spans (start_time, duration_nanos, flags, dropped_attributes_count,
    dropped_events_count, dropped_links_count, start_time_nanos, span_kind, status_code, trace_id,
    span_id, parent_span_id, resource_id, scope_id, service_name, span_name, trace_state,
    status_message, attributes, events, links)
SELECT start_time, end_time_unix_nano - start_time_unix_nano, flags, dropped_attributes_count,
    dropped_events_count, dropped_links_count, ((start_time_unix_nano % 1000 + 1000) % 1000),
    span_kind, status_code, trace_id, span_id, parent_span_id,
    glust_resource_id(resource_attributes, resource_dropped_attributes_count, resource_schema_url),
    glust_scope_id(scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,
        scope_schema_url),
    service_name, span_name, trace_state, status_message, attributes, events, links
FROM spans_v5;
DROP TABLE spans_v5;

INSERT INTO logs (timestamp, observed_offset_nanos, log_id, flags, severity_number,
    dropped_attributes_count, timestamp_nanos, own_time, log_key, trace_id, span_id, resource_id,
    scope_id, service_name, severity_text, event_name, body, log_attributes)
SELECT timestamp, observed_time_unix_nano - effective, log_id, flags, severity_number,
    dropped_attributes_count, ((effective % 1000 + 1000) % 1000), time_unix_nano <> 0, log_key,
    trace_id, span_id,
    glust_resource_id(resource_attributes, resource_dropped_attributes_count, resource_schema_url),
    glust_scope_id(scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,
        scope_schema_url),
    service_name, severity_text, event_name, body, log_attributes
FROM logs_v5,
    LATERAL (SELECT CASE WHEN time_unix_nano <> 0 THEN time_unix_nano
                         ELSE observed_time_unix_nano END AS effective) times;
-- in a DO block: a bare SELECT's result would be printed by Flyway at every fresh start
DO $$
BEGIN
    PERFORM setval(pg_get_serial_sequence('logs', 'log_id'),
        COALESCE((SELECT max(log_id) FROM logs), 0) + 1, false);
END $$;
DROP TABLE logs_v5;

-- Metric series reference their resource and scope as well (one row per series, so this saves
-- little; rows already stored keep the dropped columns' bytes until they are next updated).
ALTER TABLE metric_series ADD COLUMN resource_id BYTEA, ADD COLUMN scope_id BYTEA;
UPDATE metric_series SET
    resource_id = glust_resource_id(resource_attributes, resource_dropped_attributes_count,
        resource_schema_url),
    scope_id = glust_scope_id(scope_name, scope_version, scope_attributes,
        scope_dropped_attributes_count, scope_schema_url);
ALTER TABLE metric_series
    ALTER COLUMN resource_id SET NOT NULL,
    ALTER COLUMN scope_id SET NOT NULL,
    DROP COLUMN resource_attributes,
    DROP COLUMN resource_dropped_attributes_count,
    DROP COLUMN resource_schema_url,
    DROP COLUMN scope_name,
    DROP COLUMN scope_version,
    DROP COLUMN scope_attributes,
    DROP COLUMN scope_dropped_attributes_count,
    DROP COLUMN scope_schema_url;

-- For people reading the database (and tests): spans, logs and metric series with their resource
-- and scope, and times in unix nanoseconds, as migration V5 stored them.
CREATE VIEW span_records AS
SELECT s.*,
    (extract(epoch FROM s.start_time) * 1000000)::bigint * 1000 + s.start_time_nanos
        AS start_time_unix_nano,
    (extract(epoch FROM s.start_time) * 1000000)::bigint * 1000 + s.start_time_nanos
        + s.duration_nanos AS end_time_unix_nano,
    r.attributes AS resource_attributes,
    r.dropped_attributes_count AS resource_dropped_attributes_count,
    r.schema_url AS resource_schema_url,
    sc.name AS scope_name, sc.version AS scope_version, sc.attributes AS scope_attributes,
    sc.dropped_attributes_count AS scope_dropped_attributes_count,
    sc.schema_url AS scope_schema_url
FROM spans s JOIN resources r USING (resource_id) JOIN scopes sc USING (scope_id);

CREATE VIEW log_records AS
SELECT l.*,
    CASE WHEN l.own_time THEN times.effective ELSE 0 END AS time_unix_nano,
    times.effective + l.observed_offset_nanos AS observed_time_unix_nano,
    r.attributes AS resource_attributes,
    r.dropped_attributes_count AS resource_dropped_attributes_count,
    r.schema_url AS resource_schema_url,
    sc.name AS scope_name, sc.version AS scope_version, sc.attributes AS scope_attributes,
    sc.dropped_attributes_count AS scope_dropped_attributes_count,
    sc.schema_url AS scope_schema_url
FROM logs l JOIN resources r USING (resource_id) JOIN scopes sc USING (scope_id),
    LATERAL (SELECT (extract(epoch FROM l.timestamp) * 1000000)::bigint * 1000
        + l.timestamp_nanos AS effective) times;

CREATE VIEW metric_series_records AS
SELECT m.*,
    r.attributes AS resource_attributes,
    r.dropped_attributes_count AS resource_dropped_attributes_count,
    r.schema_url AS resource_schema_url,
    sc.name AS scope_name, sc.version AS scope_version, sc.attributes AS scope_attributes,
    sc.dropped_attributes_count AS scope_dropped_attributes_count,
    sc.schema_url AS scope_schema_url
FROM metric_series m JOIN resources r USING (resource_id) JOIN scopes sc USING (scope_id);
