-- 600,000 spans over two daily partitions (2026-12-06 sealed with its GIN index, 2026-12-07 hot)
-- for bench/traceql/plans.sh; tenant 1.
SET glust.tenant_id = '1';
CREATE TABLE spans_p20261206 PARTITION OF spans FOR VALUES FROM ('2026-12-06 00:00+00') TO ('2026-12-07 00:00+00');
CREATE TABLE spans_p20261207 PARTITION OF spans FOR VALUES FROM ('2026-12-07 00:00+00') TO ('2026-12-08 00:00+00');
INSERT INTO resources (resource_id, dropped_attributes_count, schema_url, attributes)
SELECT decode(lpad(to_hex(s), 32, '0'), 'hex'), 0, '', jsonb_build_object('service.name', 'svc' || s, 'host.name', 'h' || (s % 3))
FROM generate_series(0, 19) s;
INSERT INTO scopes (scope_id, dropped_attributes_count, name, version, schema_url, attributes)
VALUES (decode(repeat('00', 16), 'hex'), 0, 'scope', '1', '', '{}');
INSERT INTO spans (start_time, duration_nanos, flags, dropped_attributes_count, dropped_events_count, dropped_links_count,
  start_time_nanos, span_kind, status_code, trace_id, span_id, parent_span_id, resource_id, scope_id, service_name,
  span_name, trace_state, status_message, attributes, events, links)
SELECT '2026-12-06 00:00+00'::timestamptz + ((g / 4) * 1.152 + (g % 4) * 0.001) * interval '1 second',
  (1 + (g::bigint * 7919) % 500) * 1000000, 1, 0, 0, 0, 0,
  CASE WHEN g % 4 = 0 THEN 2 ELSE 3 END,
  CASE WHEN g % 50 = 0 THEN 2 ELSE 0 END,
  decode(lpad(to_hex(g / 4), 32, '0'), 'hex'),
  decode(lpad(to_hex(g), 16, '0'), 'hex'),
  CASE WHEN g % 4 = 0 THEN NULL ELSE decode(lpad(to_hex(g - g % 4), 16, '0'), 'hex') END,
  decode(lpad(to_hex((g / 4 + g % 4) % 20), 32, '0'), 'hex'),
  decode(repeat('00', 16), 'hex'),
  'svc' || ((g / 4 + g % 4) % 20),
  'op' || (g % 50), '', CASE WHEN g % 50 = 0 THEN 'boom' ELSE '' END,
  jsonb_build_object('http.status_code', CASE WHEN g % 50 = 0 THEN 503 ELSE 200 END, 'user.id', 'u' || (g % 10000)),
  '[]', '[]'
FROM generate_series(0, 599999) g;
CREATE INDEX spans_p20261206_attributes_gin ON spans_p20261206 USING gin (attributes jsonb_path_ops);
ANALYZE spans; ANALYZE resources;
