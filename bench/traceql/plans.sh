#!/bin/bash
# The plans of docs/traceql.md#which-plan-each-operator-class-gets: on a PostgreSQL at localhost:5433
# (user postgres, trust) holding database tempo_explain with migrations V1-V11 applied and
# plans-data.sql loaded, EXPLAIN ANALYZE of each operator class's SQL as SpansetSql writes it.
P="psql -h localhost -p 5433 -U postgres -d tempo_explain -q"
$P -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='tempo_reader') THEN CREATE ROLE tempo_reader NOSUPERUSER NOBYPASSRLS; END IF; END \$\$" -c "GRANT SELECT ON spans, resources, scopes TO tempo_reader" -c "ALTER FUNCTION pg_catalog.jsonb_contains(jsonb, jsonb) LEAKPROOF" >/dev/null
NS='((extract(epoch FROM start_time) * 1000000)::bigint * 1000 + start_time_nanos)'
filter() { # $1 from $2 to $3 condition $4 having
  echo "SELECT trace_id, max($NS) AS at FROM spans WHERE start_time >= '$1' AND start_time <= '$2' AND $NS BETWEEN (extract(epoch from timestamptz '$1')*1e9)::bigint AND (extract(epoch from timestamptz '$2')*1e9)::bigint ${3:+AND $3} GROUP BY trace_id ${4:+HAVING $4}"
}
outer() { echo "SELECT trace_id, at FROM ($1) c ORDER BY at DESC, trace_id DESC LIMIT 21"; }
run() { # name sql
  echo "=== $1"
  $P -c "SET glust.tenant_id = '1'" -c "SET ROLE tempo_reader" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) $2" | grep -E "Scan|Nested Loop|Hash Join|HashAggregate|GroupAggregate|Execution Time|Rows Removed" | sed 's/  */ /g' | head -40
}
for part in hot sealed; do
  if [ $part = hot ]; then F='2026-12-07 11:00+00'; T='2026-12-07 12:00+00'; else F='2026-12-06 11:00+00'; T='2026-12-06 12:00+00'; fi
  echo "##### $part partition, one hour"
  run "$part service = && status_code >= 500 (jsonpath)" "$(outer "$(filter "$F" "$T" "service_name = 'svc3' AND jsonb_path_exists(attributes, '\$.\"http.status_code\" ? (@ >= 500)')")")"
  run "$part span attribute =" "$(outer "$(filter "$F" "$T" "attributes @> '{\"user.id\":\"u42\"}'::jsonb")")"
  run "$part resource attribute =" "$(outer "$(filter "$F" "$T" "resource_id IN (SELECT resource_id FROM resources WHERE attributes @> '{\"host.name\":\"h1\"}'::jsonb)")")"
  run "$part intrinsics name/status/duration" "$(outer "$(filter "$F" "$T" "(span_name COLLATE \"C\" = 'op7' AND status_code = 2)")")"
  run "$part duration >" "$(outer "$(filter "$F" "$T" "duration_nanos > 490000000")")"
  run "$part regex or != (no SQL condition)" "$(outer "$(filter "$F" "$T")")"
  A="$(filter "$F" "$T" "service_name = 'svc3'")"; B="$(filter "$F" "$T" "status_code = 2")"
  run "$part A && B / A > B / A >> B (both present)" "$(outer "SELECT trace_id, max(at) AS at FROM (($A) UNION ALL ($B)) e GROUP BY trace_id HAVING count(*) = 2")"
  run "$part A || B (union)" "$(outer "SELECT trace_id, max(at) AS at FROM (($A) UNION ALL ($B)) e GROUP BY trace_id")"
  run "$part count() > 2 (HAVING)" "$(outer "$(filter "$F" "$T" "service_name = 'svc3'" "count(*) > 2")")"
done
echo "=== candidate load (trace_id = ANY)"
$P -c "SET glust.tenant_id = '1'" -c "SET ROLE tempo_reader" -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM spans WHERE trace_id = ANY (ARRAY(SELECT decode(lpad(to_hex(g), 32, '0'), 'hex') FROM generate_series(1000, 1020) g))" | grep -E "Scan|Index Cond|Execution Time|Append" | sed 's/  */ /g' | head -8
# { P } > { C } (child of two filters): the EXISTS form
for part in hot sealed; do
  if [ $part = hot ]; then F='2026-12-07 11:00+00'; T='2026-12-07 12:00+00'; else F='2026-12-06 11:00+00'; T='2026-12-06 12:00+00'; fi
  R="start_time >= '$F' AND start_time <= '$T' AND $NS BETWEEN (extract(epoch from timestamptz '$F')*1e9)::bigint AND (extract(epoch from timestamptz '$T')*1e9)::bigint"
  SQL="SELECT trace_id, at FROM (SELECT trace_id, max($NS) AS at FROM spans WHERE $R AND status_code = 2 AND EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = spans.trace_id AND p.span_id = spans.parent_span_id AND $R AND service_name = 'svc3') GROUP BY trace_id) c ORDER BY at DESC, trace_id DESC LIMIT 21"
  echo "=== $part A > B (child, EXISTS)"
  $P -c "SET glust.tenant_id = '1'" -c "SET ROLE tempo_reader" -c "EXPLAIN (ANALYZE, COSTS OFF) $SQL" | grep -E "Scan|Nested Loop|Hash Join|Semi|HashAggregate|GroupAggregate|Execution Time|Rows Removed" | sed -E 's/  */ /g; s/\(actual time=[^)]*rows=([0-9]+) loops=([0-9]+)\)/(rows=\1 loops=\2)/; s/spans_p2026120[67]_tenant_id_//'
done
