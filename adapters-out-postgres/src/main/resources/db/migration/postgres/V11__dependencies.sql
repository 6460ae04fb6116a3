-- Service dependencies: calls from one service to another per minute, found from parent and child
-- spans of different services (docs/storage.md, "Service dependencies"):
--   * dependency_rollups: per tenant, minute (of the child's start), parent and child service, the
--     calls and how many of them had status ERROR. Every transaction adding to it (a span batch's,
--     or the matcher's) upserts the rows of its own slot, its session's backend pid, so that no two
--     concurrent transactions ever wait for each other's row (as tenant_usage, V8); readers sum
--     over the slots.
--   * pending_children: child spans whose parent was not in their batch, waiting for the matcher
--     to look their parent up in `spans` (by the identity index) once it had time to arrive. Each
--     is probed at most twice, then deleted, matched or not. probe_at is when its next probe is
--     due (30 s after it arrived, then 5 minutes), so that the matcher's scan of its index reads
--     due rows only, never the ones waiting for their second probe.
--   * Both are tenant data: row-level security as on the other tables (V7); their tenant_id
--     defaults to the transaction's tenant.
-- Columns by alignment: 8-byte, then 4-, 2-, 1-byte, then variable length.
CREATE TABLE dependency_rollups (
    calls          BIGINT      NOT NULL,
    errors         BIGINT      NOT NULL,
    minute         TIMESTAMPTZ NOT NULL,
    slot           INTEGER     NOT NULL,
    tenant_id      SMALLINT    NOT NULL DEFAULT glust_tenant(),
    parent_service TEXT        NOT NULL,
    child_service  TEXT        NOT NULL,
    PRIMARY KEY (tenant_id, minute, parent_service, child_service, slot)
);

CREATE TABLE pending_children (
    probe_at       TIMESTAMPTZ NOT NULL,
    child_start    TIMESTAMPTZ NOT NULL,
    tenant_id      SMALLINT    NOT NULL DEFAULT glust_tenant(),
    probes         SMALLINT    NOT NULL DEFAULT 0,
    error          BOOLEAN     NOT NULL,
    trace_id       BYTEA       NOT NULL,
    parent_span_id BYTEA       NOT NULL,
    child_service  TEXT        NOT NULL
);
-- the matcher takes each tenant's children due for a probe, longest due first
CREATE INDEX pending_children_due_idx ON pending_children (tenant_id, probe_at);

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['dependency_rollups', 'pending_children']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = glust_tenant())'
            ' WITH CHECK (tenant_id = glust_tenant())', t);
    END LOOP;
END $$;
