-- Writers copy rows straight into the partition that holds them, instead of through a staging table
-- and an INSERT into the parent (half the database time per row: see docs/benchmarks.md). PostgreSQL
-- refuses COPY FROM into a table with row-level security, so partitions have none; what the
-- policies' WITH CHECK does on the parents, this constraint does on every partition:
--   * A row's tenant must be the transaction's tenant. IS NOT DISTINCT FROM rather than `=`, so that
--     a transaction that set no tenant (glust_tenant() NULL) may write no row at all: a CHECK whose
--     expression is NULL passes.
--   * Declared on the parents, it is inherited by every partition, those made later included.
--   * NOT VALID: rows already stored are not checked (no tenant is set while migrating, and each
--     was checked by the policies when it was written). The planner ignores a constraint that is not
--     valid; on partitions made later it is valid, and the planner cannot prove anything from it, as
--     glust_tenant() is not a constant.
--   * The service role may INSERT into partitions (granted as each is made) but not read, change or
--     delete them: reads go through the parents, where the policies apply.
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['spans', 'logs', 'metric_points_number', 'metric_points_histogram',
        'metric_points_exp_histogram', 'metric_points_summary']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I'
            ' CHECK (tenant_id IS NOT DISTINCT FROM glust_tenant()) NOT VALID',
            t, t || '_tenant_written');
    END LOOP;
END $$;
