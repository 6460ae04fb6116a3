-- Rate, errors and durations per operation and minute (RED), added up as spans are written:
--   * Each span batch's transaction adds the rollups of the spans it stored (OperationRollups: per
--     minute of the span's start, service, span name, kind and status code), after its rows, with
--     one upsert (OperationRollupWriter). A late span counts in its own minute; a retried batch
--     counts only the spans it stored (none when they all were stored already).
--   * slot is the writing session's backend pid, as in tenant_usage (V8): no two concurrent
--     transactions share a row, so writers never wait for each other's row lock; readers add the
--     slots up.
--   * Durations are an exponential histogram of fixed scale 5 in milliseconds (SpanDurations):
--     bucket i counts durations in (2^(i/32), 2^((i+1)/32)] ms; bucket_counts[1] is bucket
--     bucket_offset. Durations of 0 are zero_count.
--   * Partition maintenance folds the slots of minutes older than an hour into one row (slot 0).
--   * Tenant data: row-level security as on the other tables (V7); the owner (partition
--     maintenance) may read and delete across tenants for retention, as on metric_series, and
--     insert and update to fold slots.
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
-- (a DELETE with a WHERE clause needs the rows visible as well: SELECT and DELETE; folding the
-- slots of past minutes into one row inserts and updates rows of every tenant)
CREATE POLICY retention_reads ON operation_rollups FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY retention_deletes ON operation_rollups FOR DELETE TO CURRENT_USER USING (true);
CREATE POLICY folding_inserts ON operation_rollups FOR INSERT TO CURRENT_USER WITH CHECK (true);
CREATE POLICY folding_updates ON operation_rollups FOR UPDATE TO CURRENT_USER
    USING (true) WITH CHECK (true);

-- A histogram of one layout: bucket_counts[1] counts bucket bucket_offset, and so on.
CREATE TYPE glust_buckets AS (bucket_offset INTEGER, bucket_counts BIGINT[]);

-- The sum of two histograms (as SpanDurations.plus), in two functions the upsert calls apiece (a
-- function returning the composite costs a sub-select per row): its offset, and its counts over
-- the range of both. An empty histogram adds nothing, whatever its offset.
CREATE FUNCTION glust_buckets_offset(
    a_offset INTEGER, a_counts BIGINT[], b_offset INTEGER, b_counts BIGINT[])
RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN cardinality(b_counts) = 0 THEN a_offset
        WHEN cardinality(a_counts) = 0 THEN b_offset
        ELSE least(a_offset, b_offset)
    END
$$;

-- a's buckets are widened with zeros to the range of both, then b's non-empty buckets are added in
-- place. A batch's histogram of an operation is sparse (a few spans over a minute's range of
-- durations), so an upsert costs about one step per span, not one per bucket of the stored row.
-- (PL/pgSQL assigns array elements in place; a pure SQL merge walking every bucket of both cost
-- several times more per batch, measured.)
CREATE FUNCTION glust_bucket_counts_plus(
    a_offset INTEGER, a_counts BIGINT[], b_offset INTEGER, b_counts BIGINT[])
RETURNS BIGINT[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    a_length INTEGER := cardinality(a_counts);
    low INTEGER;
    high INTEGER;
    summed BIGINT[];
    b_count BIGINT;
    b_index BIGINT;
BEGIN
    IF cardinality(b_counts) = 0 THEN
        RETURN a_counts;
    END IF;
    IF a_length = 0 THEN
        RETURN b_counts;
    END IF;
    low := least(a_offset, b_offset);
    high := greatest(a_offset + a_length, b_offset + cardinality(b_counts));
    summed := array_fill(0::bigint, ARRAY[a_offset - low]) || a_counts
        || array_fill(0::bigint, ARRAY[high - a_offset - a_length]);
    FOR b_count, b_index IN
        SELECT c, i FROM unnest(b_counts) WITH ORDINALITY AS t(c, i) WHERE c <> 0
    LOOP
        summed[b_offset - low + b_index] := summed[b_offset - low + b_index] + b_count;
    END LOOP;
    RETURN summed;
END
$$;

-- Both of the above, for the aggregate.
CREATE FUNCTION glust_buckets_plus(a glust_buckets, b_offset INTEGER, b_counts BIGINT[])
RETURNS glust_buckets LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ROW(glust_buckets_offset(a.bucket_offset, a.bucket_counts, b_offset, b_counts),
        glust_bucket_counts_plus(a.bucket_offset, a.bucket_counts, b_offset, b_counts))::glust_buckets
$$;

-- Histograms added up, e.g. the slots of one minute and operation.
CREATE AGGREGATE glust_buckets_sum(INTEGER, BIGINT[]) (
    SFUNC = glust_buckets_plus,
    STYPE = glust_buckets,
    INITCOND = '(0,{})'
);
