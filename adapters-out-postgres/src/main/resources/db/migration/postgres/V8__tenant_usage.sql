-- What each tenant stored, per signal and UTC day of storing (GET /api/v1/tenants/usage):
--   * Every batch transaction adds its stored rows and their COPY bytes to one row, last thing
--     before its commit (CopyBatchWriter), so the counts are exactly what committed.
--   * slot is the writing session's backend pid: no two concurrent transactions share a row, so
--     writers never wait for each other's row lock; readers sum over the slots.
--   * Counts only, no tenant data: no row-level security (the admin scope reads across tenants).
--     No foreign key to tenants either: its check would take a KEY SHARE lock on the tenant's row
--     in every batch transaction, which concurrent writers would share through multixacts.
--   * Rows older than the longest retention are deleted by partition maintenance.
-- Columns by alignment: 8-byte, then 4-, then 2-byte, then text.
CREATE TABLE tenant_usage (
    records       BIGINT   NOT NULL,
    written_bytes BIGINT   NOT NULL,
    day           DATE     NOT NULL,
    slot          INTEGER  NOT NULL,
    tenant_id     SMALLINT NOT NULL,
    signal        TEXT     NOT NULL CHECK (signal IN ('traces', 'logs', 'metrics')),
    PRIMARY KEY (day, tenant_id, signal, slot)
);
