-- Span rollups are appended, then folded (docs/storage.md, "Span rollups"):
--   * operation_rollup_batches: one row per span batch (and its tenant), appended in the batch's
--     transaction: the rollups of the spans it stored as parallel arrays, one element per minute and
--     operation. A batch's histograms are sparse (a few spans per operation), so each is stored as its
--     non-empty buckets only: bucket_indexes / bucket_counts, the rollup's buckets ending at its
--     bucket_ends element (1-based, cumulative). An append neither reads nor rewrites a row; the
--     upsert of V10 rewrote every touched operation's whole histogram (a few hundred buckets) per
--     batch, which cost ingest more than the spans' own indexes.
--   * Every few seconds the service folds the appended rows into operation_rollups, in one
--     transaction as the owner: it deletes them, adds them up per tenant, minute and operation, and
--     adds those to the rows of slot 0. Readers add both tables up in one snapshot, so a rollup is
--     counted once whether folded or not.
--   * No index: the table holds the few seconds of batches since the last fold, read whole.
--   * The large arrays are stored uncompressed (EXTERNAL): a row is appended once and folded soon.
-- Columns by alignment: 8-byte, then 2-byte, then variable length.
CREATE TABLE operation_rollup_batches (
    first_minute   TIMESTAMPTZ        NOT NULL,
    last_minute    TIMESTAMPTZ        NOT NULL,
    tenant_id      SMALLINT           NOT NULL DEFAULT glust_tenant(),
    minutes        BIGINT[]           NOT NULL, -- unix seconds
    services       TEXT[]             NOT NULL,
    operations     TEXT[]             NOT NULL,
    span_kinds     SMALLINT[]         NOT NULL,
    status_codes   SMALLINT[]         NOT NULL,
    calls          INTEGER[]          NOT NULL,
    errors         INTEGER[]          NOT NULL,
    zero_counts    INTEGER[]          NOT NULL,
    sums_millis    DOUBLE PRECISION[] NOT NULL,
    bucket_ends    INTEGER[]          NOT NULL,
    bucket_indexes INTEGER[]          NOT NULL,
    bucket_counts  INTEGER[]          NOT NULL
);
ALTER TABLE operation_rollup_batches
    ALTER COLUMN services SET STORAGE EXTERNAL,
    ALTER COLUMN operations SET STORAGE EXTERNAL,
    ALTER COLUMN bucket_indexes SET STORAGE EXTERNAL,
    ALTER COLUMN bucket_counts SET STORAGE EXTERNAL;

ALTER TABLE operation_rollup_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE operation_rollup_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON operation_rollup_batches USING (tenant_id = glust_tenant())
    WITH CHECK (tenant_id = glust_tenant());
-- folding reads and deletes every tenant's rows (a DELETE with RETURNING needs them visible)
CREATE POLICY folding_reads ON operation_rollup_batches FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY folding_deletes ON operation_rollup_batches FOR DELETE TO CURRENT_USER USING (true);

-- From now on operation_rollups holds folded rows only (slot 0); the rows V10's writers kept per
-- session (slot: backend pid) are folded into slot 0 here, as V10's hourly fold did.
WITH folded AS (DELETE FROM operation_rollups WHERE slot <> 0 RETURNING *),
summed AS (
    SELECT tenant_id, minute, service, operation, span_kind, status_code,
        sum(calls) AS calls, sum(errors) AS errors, sum(zero_count) AS zero_count,
        sum(sum_millis) AS sum_millis, glust_buckets_sum(bucket_offset, bucket_counts) AS b
    FROM folded GROUP BY tenant_id, minute, service, operation, span_kind, status_code)
INSERT INTO operation_rollups AS r (tenant_id, minute, slot, service, operation, span_kind,
    status_code, calls, errors, zero_count, sum_millis, bucket_offset, bucket_counts)
SELECT tenant_id, minute, 0, service, operation, span_kind, status_code, calls, errors,
    zero_count, sum_millis, (b).bucket_offset, (b).bucket_counts FROM summed
ON CONFLICT (tenant_id, minute, service, operation, span_kind, status_code, slot) DO UPDATE
SET calls = r.calls + EXCLUDED.calls, errors = r.errors + EXCLUDED.errors,
    zero_count = r.zero_count + EXCLUDED.zero_count, sum_millis = r.sum_millis + EXCLUDED.sum_millis,
    bucket_offset = glust_buckets_offset(r.bucket_offset, r.bucket_counts,
        EXCLUDED.bucket_offset, EXCLUDED.bucket_counts),
    bucket_counts = glust_bucket_counts_plus(r.bucket_offset, r.bucket_counts,
        EXCLUDED.bucket_offset, EXCLUDED.bucket_counts);
