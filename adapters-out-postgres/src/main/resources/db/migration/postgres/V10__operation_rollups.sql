-- Rate, errors and durations per operation and minute (RED), added up as spans are written:
--   * Each span batch's transaction adds the rollups of the spans it stored (OperationRollups: per
--     minute of the span's start, service, span name, kind and status code), last thing before its
--     commit, with one upsert (PostgresOperationRollupWriter). A late span counts in its own minute;
--     a retried batch counts only the spans it stored (none when they all were stored already).
--   * slot is the writing session's backend pid, as in tenant_usage (V8): no two concurrent
--     transactions share a row, so writers never wait for each other's row lock; readers add the
--     slots up.
--   * Durations are an exponential histogram of fixed scale 5 in milliseconds (SpanDurations):
--     bucket i counts durations in (2^(i/32), 2^((i+1)/32)] ms; bucket_counts[1] is bucket
--     bucket_offset. Durations of 0 are zero_count.
--   * Tenant data: row-level security as on the other tables (V7); the owner (partition
--     maintenance) may read and delete across tenants for retention, as on metric_series.
-- Columns by alignment: 8-byte, then 4-, then 2-byte, then variable.
CREATE TABLE operation_rollups (
    minute        TIMESTAMPTZ      NOT NULL,
    calls         BIGINT           NOT NULL,
    errors        BIGINT           NOT NULL,
    zero_count    BIGINT           NOT NULL,
    sum_millis    DOUBLE PRECISION NOT NULL,
    slot          INTEGER          NOT NULL,
    bucket_offset INTEGER          NOT NULL,
    tenant_id     SMALLINT         NOT NULL DEFAULT glust_tenant(),
    span_kind     SMALLINT         NOT NULL,
    status_code   SMALLINT         NOT NULL,
    service       TEXT             NOT NULL,
    operation     TEXT             NOT NULL,
    bucket_counts BIGINT[]         NOT NULL,
    PRIMARY KEY (tenant_id, minute, service, operation, span_kind, status_code, slot)
);

ALTER TABLE operation_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE operation_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON operation_rollups USING (tenant_id = glust_tenant())
    WITH CHECK (tenant_id = glust_tenant());
-- (a DELETE with a WHERE clause needs the rows visible as well: SELECT and DELETE)
CREATE POLICY retention_reads ON operation_rollups FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY retention_deletes ON operation_rollups FOR DELETE TO CURRENT_USER USING (true);

-- A histogram of one layout: bucket_counts[1] counts bucket bucket_offset, and so on.
CREATE TYPE glust_buckets AS (bucket_offset INTEGER, bucket_counts BIGINT[]);

-- The sum of two histograms' buckets, over the range of both (as SpanDurations.plus): an empty one
-- adds nothing, whatever its offset. Subscripts outside an array read NULL, i.e. a count of 0.
CREATE FUNCTION glust_buckets_plus(a glust_buckets, b_offset INTEGER, b_counts BIGINT[])
RETURNS glust_buckets LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN cardinality(b_counts) = 0 THEN a
        WHEN cardinality(a.bucket_counts) = 0 THEN ROW(b_offset, b_counts)::glust_buckets
        ELSE (SELECT ROW(min(i), array_agg(COALESCE(a.bucket_counts[i - a.bucket_offset + 1], 0)
                  + COALESCE(b_counts[i - b_offset + 1], 0) ORDER BY i))::glust_buckets
              FROM generate_series(least(a.bucket_offset, b_offset),
                  greatest(a.bucket_offset + cardinality(a.bucket_counts),
                      b_offset + cardinality(b_counts)) - 1) AS i)
    END
$$;

-- Histograms added up, e.g. the slots of one minute and operation.
CREATE AGGREGATE glust_buckets_sum(INTEGER, BIGINT[]) (
    SFUNC = glust_buckets_plus,
    STYPE = glust_buckets,
    INITCOND = '(0,{})'
);
