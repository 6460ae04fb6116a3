-- A metric series is found by the times of its points, not only by when it arrived: from now on the
-- writer widens [first_seen, last_seen] of a series row to cover its points' times as well as its
-- arrivals (PostgresMetricWriter), so points sent late or backfilled are found by a query whose
-- range ends before they arrived. Rows written before only spanned arrivals; they are widened here
-- once to the points they have, through each point table's (tenant_id, series_id, timestamp)
-- identity index (a min and a max per series and table).
--
-- The owner runs migrations and row-level security is forced on these tables (V7); it is lifted
-- for the length of this transaction only, as every tenant's rows are widened alike.
ALTER TABLE metric_series NO FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_number NO FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_histogram NO FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_exp_histogram NO FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_summary NO FORCE ROW LEVEL SECURITY;

UPDATE metric_series m
SET first_seen = least(m.first_seen, p.first_point),
    last_seen = greatest(m.last_seen, p.last_point)
FROM (
    SELECT s.tenant_id, s.series_id,
        least(
            (SELECT min(timestamp) FROM metric_points_number x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT min(timestamp) FROM metric_points_histogram x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT min(timestamp) FROM metric_points_exp_histogram x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT min(timestamp) FROM metric_points_summary x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id)) AS first_point,
        greatest(
            (SELECT max(timestamp) FROM metric_points_number x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT max(timestamp) FROM metric_points_histogram x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT max(timestamp) FROM metric_points_exp_histogram x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id),
            (SELECT max(timestamp) FROM metric_points_summary x
                WHERE x.tenant_id = s.tenant_id AND x.series_id = s.series_id)) AS last_point
    FROM metric_series s
) p
WHERE m.tenant_id = p.tenant_id AND m.series_id = p.series_id
    AND (p.first_point < m.first_seen OR p.last_point > m.last_seen);

ALTER TABLE metric_series FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_number FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_histogram FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_exp_histogram FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points_summary FORCE ROW LEVEL SECURITY;
