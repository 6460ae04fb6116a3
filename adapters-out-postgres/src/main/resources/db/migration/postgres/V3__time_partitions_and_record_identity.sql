-- Spans and logs become range-partitioned by time (partitions are created and expired by the
-- service, see PostgresPartitions), and every row gets an identity that makes writes idempotent:
-- a retried export is inserted with ON CONFLICT DO NOTHING and stored once.
--   spans: (trace_id, span_id, start_time); the partition key must be part of any unique index,
--          and a retry carries the same start time.
--   logs:  (log_key, timestamp); log_key is a 16-byte hash of the record's content (everything
--          but its observed time), computed by the writer.
-- Rows already stored are moved into daily partitions; duplicates among them are stored once.

DROP INDEX spans_trace_id_idx, spans_service_start_idx, spans_start_idx, spans_attributes_idx;
ALTER TABLE spans RENAME TO spans_v2;

CREATE TABLE spans (LIKE spans_v2) PARTITION BY RANGE (start_time);
CREATE UNIQUE INDEX spans_identity_idx ON spans (trace_id, span_id, start_time);
CREATE INDEX spans_service_start_idx ON spans (service_name, start_time DESC);
CREATE INDEX spans_start_idx ON spans (start_time DESC);
CREATE INDEX spans_attributes_idx ON spans USING gin (attributes jsonb_path_ops);

DROP INDEX logs_service_time_idx, logs_trace_id_idx, logs_time_idx, logs_attributes_idx,
    logs_body_text_idx;
ALTER TABLE logs RENAME TO logs_v2;

CREATE TABLE logs (LIKE logs_v2 INCLUDING IDENTITY) PARTITION BY RANGE (timestamp);
ALTER TABLE logs ADD COLUMN log_key BYTEA NOT NULL;
CREATE UNIQUE INDEX logs_identity_idx ON logs (log_key, timestamp);
CREATE INDEX logs_service_time_idx ON logs (service_name, timestamp DESC);
CREATE INDEX logs_trace_id_idx ON logs (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX logs_time_idx ON logs (timestamp DESC, log_id DESC);
CREATE INDEX logs_attributes_idx ON logs USING gin (log_attributes jsonb_path_ops);
CREATE INDEX logs_body_text_idx ON logs USING gin ((body #>> '{}') gin_trgm_ops);

-- One UTC day per partition for the rows already stored (the service's default interval).
DO $$
DECLARE
    item RECORD;
BEGIN
    FOR item IN
        SELECT 'spans' AS parent, (start_time AT TIME ZONE 'UTC')::date AS day FROM spans_v2
        UNION
        SELECT 'logs', (timestamp AT TIME ZONE 'UTC')::date FROM logs_v2
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            item.parent || '_p' || to_char(item.day, 'YYYYMMDD') || '_0000', item.parent,
            item.day::timestamp AT TIME ZONE 'UTC', (item.day + 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END $$;

INSERT INTO spans SELECT * FROM spans_v2 ON CONFLICT DO NOTHING;
DROP TABLE spans_v2;

-- Old rows get a key computed here (the writer's hash covers the same fields but a different
-- encoding, so only rows stored before this migration and retried after it could repeat).
INSERT INTO logs
SELECT l.*, decode(md5((l.time_unix_nano, l.trace_id, l.span_id, l.flags, l.service_name,
        l.severity_text, l.severity_number, l.body, l.event_name, l.resource_attributes,
        l.resource_dropped_attributes_count, l.resource_schema_url, l.scope_name,
        l.scope_version, l.scope_attributes, l.scope_dropped_attributes_count, l.scope_schema_url,
        l.log_attributes, l.dropped_attributes_count)::text), 'hex')
FROM logs_v2 l
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('logs', 'log_id'), COALESCE(max(log_id), 0) + 1, false)
FROM logs;
DROP TABLE logs_v2;
