-- Spans and logs as OTLP delivers them. Times are kept twice: TIMESTAMPTZ (microseconds) for
-- indexes, ranges and humans, and BIGINT unix nanoseconds so that nothing an SDK sent is rounded.
-- Attribute maps are JSONB objects whose values keep their OTLP type (see README, "Storage").

CREATE TABLE spans (
    trace_id                          BYTEA       NOT NULL,
    span_id                           BYTEA       NOT NULL,
    parent_span_id                    BYTEA,
    trace_state                       TEXT        NOT NULL,
    flags                             INTEGER     NOT NULL,
    service_name                      TEXT        NOT NULL,
    span_name                         TEXT        NOT NULL,
    span_kind                         SMALLINT    NOT NULL,
    start_time                        TIMESTAMPTZ NOT NULL,
    end_time                          TIMESTAMPTZ NOT NULL,
    start_time_unix_nano              BIGINT      NOT NULL,
    end_time_unix_nano                BIGINT      NOT NULL,
    status_code                       SMALLINT    NOT NULL,
    status_message                    TEXT        NOT NULL,
    attributes                        JSONB       NOT NULL,
    dropped_attributes_count          INTEGER     NOT NULL,
    events                            JSONB       NOT NULL,
    dropped_events_count              INTEGER     NOT NULL,
    links                             JSONB       NOT NULL,
    dropped_links_count               INTEGER     NOT NULL,
    resource_attributes               JSONB       NOT NULL,
    resource_dropped_attributes_count INTEGER     NOT NULL,
    resource_schema_url               TEXT        NOT NULL,
    scope_name                        TEXT        NOT NULL,
    scope_version                     TEXT        NOT NULL,
    scope_attributes                  JSONB       NOT NULL,
    scope_dropped_attributes_count    INTEGER     NOT NULL,
    scope_schema_url                  TEXT        NOT NULL
);

CREATE INDEX spans_trace_id_idx ON spans (trace_id);
CREATE INDEX spans_service_start_idx ON spans (service_name, start_time DESC);

CREATE TABLE logs (
    -- the record's time, or its observed time when the source did not know it
    timestamp                         TIMESTAMPTZ NOT NULL,
    observed_timestamp                TIMESTAMPTZ NOT NULL,
    time_unix_nano                    BIGINT      NOT NULL,
    observed_time_unix_nano           BIGINT      NOT NULL,
    trace_id                          BYTEA,
    span_id                           BYTEA,
    flags                             INTEGER     NOT NULL,
    service_name                      TEXT        NOT NULL,
    severity_text                     TEXT        NOT NULL,
    severity_number                   INTEGER     NOT NULL,
    body                              JSONB,
    event_name                        TEXT        NOT NULL,
    resource_attributes               JSONB       NOT NULL,
    resource_dropped_attributes_count INTEGER     NOT NULL,
    resource_schema_url               TEXT        NOT NULL,
    scope_name                        TEXT        NOT NULL,
    scope_version                     TEXT        NOT NULL,
    scope_attributes                  JSONB       NOT NULL,
    scope_dropped_attributes_count    INTEGER     NOT NULL,
    scope_schema_url                  TEXT        NOT NULL,
    log_attributes                    JSONB       NOT NULL,
    dropped_attributes_count          INTEGER     NOT NULL
);

CREATE INDEX logs_service_time_idx ON logs (service_name, timestamp DESC);
CREATE INDEX logs_trace_id_idx ON logs (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX logs_time_idx ON logs (timestamp DESC);
