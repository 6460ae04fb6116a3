#!/usr/bin/env bash
# End-to-end test of the container image (docs/deploy.md#testing-the-image). Not part of .ci/run:
# it needs podman and takes minutes.
#
#   packaging/test-image.sh [--skip-build] [build-image.sh options, e.g. --skip-maven]
#
# 1. builds the image (packaging/build-image.sh) and loads its archive back (podman load);
# 2. starts a PostgreSQL cluster on this machine (pg_createcluster, port GLUST_TEST_PG_PORT, 5499)
#    and Glust in the image against it (GLUST_DB_URL), checks it runs as non-root with java as
#    PID 1 and that the image's health check passes;
# 3. sends OTLP over gRPC (the image's own `demo` command, OTel SDK) and OTLP/JSON over HTTP (curl)
#    and reads both back through the query API;
# 4. stops the container with SIGTERM (podman stop) while HTTP clients are still sending, starts it
#    again and checks that every acknowledged (200) export is stored, span by span;
# 5. runs the image with the embedded PostgreSQL, its data in a named volume at /var/lib/glust,
#    restarts it and reads back what was stored before the restart; on a root-owned bind mount the
#    image's user cannot write, it must refuse in one line (exit status 2).
#
# Needs root, podman, runc, curl, PostgreSQL server packages (pg_createcluster). Containers use the
# host network on ports 18080/14317/14318 (GLUST_TEST_*_PORT) so as not to collide with a Glust
# running on the defaults. PODMAN_GLOBAL_OPTS and PODMAN_RUN_OPTS replace the podman flags below,
# which a sandbox without systemd and with low limits needs (runc, cgroupfs, explicit ulimits).
set -euo pipefail
cd "$(dirname "$0")/.."

build=true
build_args=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=false ;;
    *) build_args+=("$arg") ;;
  esac
done

read -r -a podman_global <<<"${PODMAN_GLOBAL_OPTS:---runtime runc --cgroup-manager=cgroupfs}"
read -r -a run_opts <<<"${PODMAN_RUN_OPTS:---ulimit nofile=4096:4096 --ulimit nproc=4096:4096}"
pg_port=${GLUST_TEST_PG_PORT:-5499}
http_port=${GLUST_TEST_HTTP_PORT:-18080}
grpc_port=${GLUST_TEST_GRPC_PORT:-14317}
otlp_http_port=${GLUST_TEST_OTLP_HTTP_PORT:-14318}
cluster=glustimgtest
name=glust-imgtest
volume=glust-imgtest-data
spans_per_export=10
version=$(awk '/<parent>/{p=1} /<\/parent>/{p=0; next} !p && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' pom.xml)
image="glust:$version"
work=$(mktemp -d)

# Without systemd podman cannot schedule health checks and says so on every run/start/stop; the
# check is run by hand below, so those lines are noise.
podman() { command podman "${podman_global[@]}" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
log() { echo "[test-image $(date -u +%H:%M:%S)] $*"; }
fail() { echo "[test-image] FAIL: $*" >&2; podman logs --tail 40 "$name" >&2 2>/dev/null || true; exit 1; }

pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$pg_version" ] && command -v pg_createcluster >/dev/null ||
  { echo "$0: needs PostgreSQL server packages (apt-get install -y postgresql)" >&2; exit 1; }

cleanup() {
  podman rm -f -v -t 0 "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  pg_dropcluster --stop "$pg_version" "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
if $build; then
  log "building the image"
  packaging/build-image.sh "${build_args[@]}"
fi
# Both archives load; the docker one last, as it keeps the HEALTHCHECK the tests below run.
for archive in "target/glust-$version.oci.tar" "target/glust-$version.docker.tar"; do
  log "loading $archive back"
  podman rmi -f "$image" >/dev/null 2>&1 || true
  podman load -q -i "$archive" >/dev/null || fail "podman load refused $archive"
  [ "$(podman image inspect -f '{{json .Config.Entrypoint}}' "$image")" = '["/usr/bin/java","-jar","/opt/glust/glust.jar"]' ] ||
    fail "$image from $archive has another entrypoint"
done
podman image inspect -f '{{json .HealthCheck}}' "$image" | grep -q /health/readiness || fail "$image has no HEALTHCHECK"

# --- helpers --------------------------------------------------------------------------------
api() { curl -fsS --max-time 10 "http://127.0.0.1:$http_port$1"; }
wait_ready() {
  local deadline=$(($(date +%s) + $1))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$http_port/health/readiness")" = 200 ]; do
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "the container exited before it was ready"
    [ "$(date +%s)" -lt "$deadline" ] || fail "not ready after $1 s"
    sleep 1
  done
}
# One OTLP/JSON export: trace $1 (32 hex digits) of $spans_per_export spans of service $2.
trace_export() {
  local trace=$1 service=$2 now spans="" i
  now=$(date +%s%N)
  for ((i = 1; i <= spans_per_export; i++)); do
    spans+="${spans:+,}{\"traceId\":\"$trace\",\"spanId\":\"$(printf '%016x' "$i")\",\"name\":\"step-$i\",\"kind\":2,\"startTimeUnixNano\":\"$((now - 1000000))\",\"endTimeUnixNano\":\"$now\"}"
  done
  printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},"scopeSpans":[{"scope":{"name":"test-image"},"spans":[%s]}]}]}' "$service" "$spans"
}
# Sends traces until the receiver is gone; writes the ids of acknowledged ones (200, no rejection).
sender() {
  local id=$1 n=0 refused=0 trace code
  while [ "$refused" -lt 3 ]; do
    n=$((n + 1))
    trace=$(printf '%08x%024x' "$id" "$n")
    code=$(trace_export "$trace" imgtest-http | curl -s -o "$work/answer-$id" -w '%{http_code}' --max-time 60 \
      -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$otlp_http_port/v1/traces" || true)
    if [ "$code" = 200 ] && ! grep -q rejected "$work/answer-$id"; then
      echo "$trace" >>"$work/acked-$id"
      refused=0
    elif [ "$code" = 000 ]; then
      refused=$((refused + 1))
      sleep 0.2
    fi
    echo "$code" >>"$work/codes"
  done
}
spans_of_trace() { api "/api/v1/traces/$1" 2>/dev/null | grep -o '"spanId"' | wc -l; }

# --- external PostgreSQL ----------------------------------------------------------------------
log "starting PostgreSQL $pg_version (cluster $cluster, port $pg_port)"
pg_dropcluster --stop "$pg_version" "$cluster" >/dev/null 2>&1 || true
pg_createcluster "$pg_version" "$cluster" -p "$pg_port" --start -- --auth-host=trust >"$work/pg.log" 2>&1 ||
  { cat "$work/pg.log" >&2; fail "pg_createcluster failed"; }
su postgres -c "psql -q -p $pg_port -c 'CREATE DATABASE glust'"
su postgres -c "psql -q -p $pg_port -c 'CREATE ROLE glust_service LOGIN'" 2>/dev/null || true

log "starting $image against it, read-only root file system (as in deploy/kubernetes)"
podman run -d --name "$name" --network host "${run_opts[@]}" --health-interval disable --read-only \
  -e GLUST_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/glust" -e GLUST_DB_USER=postgres -e GLUST_DB_SERVICE_USER=glust_service \
  -e GLUST_HTTP_PORT="$http_port" -e GLUST_OTLP_GRPC_PORT="$grpc_port" -e GLUST_OTLP_HTTP_PORT="$otlp_http_port" \
  "$image" >/dev/null
wait_ready 120
log "ready after $(($(date +%s) - started)) s since the test began"

uid=$(podman exec "$name" id -u)
[ "$uid" = 10001 ] || fail "runs as uid $uid, not 10001"
pid1=$(podman exec "$name" cat /proc/1/cmdline | tr '\0' ' ')
case "$pid1" in /usr/bin/java*) ;; *) fail "PID 1 is '$pid1', not java" ;; esac
podman healthcheck run "$name" >/dev/null || fail "the image's health check fails on a ready container"
log "non-root (uid $uid), PID 1 is java, health check healthy"

log "OTLP/gRPC: the image's demo command for 3 s"
podman run --rm --network host "${run_opts[@]}" --no-healthcheck "$image" demo --endpoint "http://127.0.0.1:$grpc_port" --seconds 3 --rate 10 \
  >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "demo failed"; }
sleep 2
demo_spans=$(api /api/v1/services | grep -o '"name":"frontend","spanCount":[0-9]*' | grep -o '[0-9]*$' || true)
[ "${demo_spans:-0}" -gt 0 ] || fail "no frontend spans from the demo in /api/v1/services: $(api /api/v1/services)"
log "gRPC: $demo_spans frontend spans read back"

log "OTLP/HTTP: one trace and one log record as JSON"
trace_export 0000000000000000000000000000abcd imgtest-http |
  curl -fsS -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$otlp_http_port/v1/traces" >/dev/null
curl -fsS -H 'Content-Type: application/json' "http://127.0.0.1:$otlp_http_port/v1/logs" --data-binary \
  "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"imgtest-http\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"$(date +%s%N)\",\"severityNumber\":9,\"body\":{\"stringValue\":\"hello from test-image\"}}]}]}]}" >/dev/null
[ "$(spans_of_trace 0000000000000000000000000000abcd)" = "$spans_per_export" ] || fail "the HTTP trace did not come back whole"
api "/api/v1/logs?service=imgtest-http" | grep -q 'hello from test-image' || fail "the HTTP log record did not come back"
log "HTTP: trace ($spans_per_export spans) and log record read back"

log "SIGTERM under load: 4 HTTP senders, podman stop after 5 s"
for s in 1 2 3 4; do sender "$s" & done
sleep 5
stop_started=$(date +%s%N)
podman stop -t 60 "$name" >/dev/null
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
wait
exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$name")
case "$exit_code" in 0 | 143) ;; *) fail "exit status $exit_code after SIGTERM (137 would mean killed)" ;; esac
cat "$work"/acked-* >"$work/acked"
acked=$(wc -l <"$work/acked")
answers=$(sort "$work/codes" | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=", "}')
log "stopped in $stop_ms ms, exit status $exit_code; answers: $answers; acknowledged exports: $acked"
[ "$acked" -gt 0 ] || fail "no export was acknowledged"

log "starting it again to read back every acknowledged trace"
podman start "$name" >/dev/null
wait_ready 120
missing=0
while read -r trace; do
  got=$(spans_of_trace "$trace")
  if [ "$got" != "$spans_per_export" ]; then
    missing=$((missing + 1))
    echo "trace $trace: $got of $spans_per_export spans stored" >&2
  fi
done <"$work/acked"
[ "$missing" = 0 ] || fail "$missing of $acked acknowledged traces are not stored whole"
stored=$(su postgres -c "psql -Atq -p $pg_port -d glust -c 'SELECT count(*) FROM spans'")
log "all $acked acknowledged traces ($((acked * spans_per_export)) spans) stored; spans in the table: $stored"
podman rm -f -v -t 60 "$name" >/dev/null

# --- embedded PostgreSQL in a volume ------------------------------------------------------------
log "embedded PostgreSQL: volume $volume at /var/lib/glust"
podman volume rm -f "$volume" >/dev/null 2>&1 || true
podman volume create "$volume" >/dev/null
podman run -d --name "$name" --network host "${run_opts[@]}" --health-interval disable -v "$volume:/var/lib/glust" \
  -e GLUST_HTTP_PORT="$http_port" -e GLUST_OTLP_GRPC_PORT="$grpc_port" -e GLUST_OTLP_HTTP_PORT="$otlp_http_port" \
  "$image" >/dev/null
wait_ready 180
trace_export 00000000000000000000000000e0bedd imgtest-embedded |
  curl -fsS -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$otlp_http_port/v1/traces" >/dev/null
podman stop -t 60 "$name" >/dev/null
podman start "$name" >/dev/null
wait_ready 180
[ "$(spans_of_trace 00000000000000000000000000e0bedd)" = "$spans_per_export" ] ||
  fail "the trace stored before the restart is gone (embedded database in the volume)"
podman exec "$name" test -f /var/lib/glust/postgres/PG_VERSION || fail "no PostgreSQL cluster under /var/lib/glust/postgres"
log "embedded: data in the volume survived a restart"
podman rm -f -v -t 60 "$name" >/dev/null

log "embedded PostgreSQL on a bind mount the image's user cannot write: one line, exit status 2"
mkdir -p "$work/root-owned" && chmod 755 "$work/root-owned"
set +e
podman run --rm --network host "${run_opts[@]}" --no-healthcheck -v "$work/root-owned:/var/lib/glust" \
  -e GLUST_HTTP_PORT="$http_port" -e GLUST_OTLP_GRPC_PORT="$grpc_port" -e GLUST_OTLP_HTTP_PORT="$otlp_http_port" \
  "$image" >"$work/refused.out" 2>"$work/refused.err"
refused=$?
set -e
grep -v '^NOTE: Picked up JDK_JAVA_OPTIONS' "$work/refused.err" >"$work/refused.lines" || true
[ "$refused" = 2 ] && [ "$(wc -l <"$work/refused.lines")" = 1 ] && grep -q '^glust: GLUST_DATA_DIR=/var/lib/glust ' "$work/refused.lines" ||
  { cat "$work/refused.out" "$work/refused.err" >&2; fail "expected one line about GLUST_DATA_DIR and exit status 2, got $refused"; }
log "refused: $(cat "$work/refused.lines")"

log "PASS in $(($(date +%s) - started)) s"
