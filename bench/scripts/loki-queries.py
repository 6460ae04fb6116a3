# Times Loki-compatible queries against a Glust on 127.0.0.1:18080 loaded by loki-load.py:
# p50 / p99 / max in ms over RUNS runs each, lines read, and whether a warning came back.
# Usage: python3 loki-queries.py RUNS (waits while /work/wt/QUIET exists)
import json, os, sys, time, urllib.parse, urllib.request
base = "http://127.0.0.1:18080/loki/api/v1"
now = time.time_ns(); H = 3600 * 10**9
runs = int(sys.argv[1])
cases = [
  ("log: {service_name=\"svc-3\"}, 1 h, limit 1000", "query_range", {"query": '{service_name="svc-3"}', "start": now - H, "end": now, "limit": 1000}),
  ("log: {service_name=\"svc-3\"} |= \"timeout\", 24 h, limit 100", "query_range", {"query": '{service_name="svc-3"} |= "timeout"', "start": now - 24*H, "end": now, "limit": 100}),
  ("log: {service_name=~\".+\"} | json | status >= 500, 1 h, limit 100", "query_range", {"query": '{service_name=~".+"} | json | status >= 500', "start": now - H, "end": now, "limit": 100}),
  ("log: {trace_id=...}, 24 h", "query_range", None),
  ("volume: sum by (level, detected_level) (count_over_time({service_name=\"svc-3\"} | drop __error__ [5m])), 24 h, step 5m", "query_range", {"query": 'sum by (level, detected_level) (count_over_time({service_name="svc-3"} | drop __error__ [5m]))', "start": now - 24*H, "end": now, "step": "300000ms"}),
  ("volume, all services: sum by (level) (count_over_time({deployment_environment=\"prod\"}[1m])), 1 h, step 1m (scanned)", "query_range", {"query": 'sum by (level) (count_over_time({deployment_environment="prod"}[1m]))', "start": now - H, "end": now, "step": "60000ms"}),
  ("metric: topk(5, sum by (service_name) (rate({service_name=~\"svc-1.*\"} |= \"order\" [5m]))), 6 h, step 5m", "query_range", {"query": 'topk(5, sum by (service_name) (rate({service_name=~"svc-1.*"} |= "order" [5m])))', "start": now - 6*H, "end": now, "step": "300000ms"}),
  ("labels, 6 h", "labels", {"start": now - 6*H, "end": now}),
  ("health: vector(1)+vector(1)", "query", {"query": "vector(1)+vector(1)", "time": 4000000000}),
]
def get(path, params):
    url = base + "/" + path + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.loads(r.read())
for name, path, params in cases:
    if params is None:
        # find a trace id through categorized metadata
        req = urllib.request.Request(base + "/query_range?" + urllib.parse.urlencode({"query": '{service_name="svc-5"} | trace_id=~".+"', "start": now - H, "end": now, "limit": 1}), headers={"X-Loki-Response-Encoding-Flags": "categorize-labels"})
        with urllib.request.urlopen(req) as r:
            v = json.loads(r.read())["data"]["result"][0]["values"][0]
        params = {"query": '{trace_id="%s"}' % v[2]["structuredMetadata"]["trace_id"], "start": now - 24*H, "end": now}
        name = "log: {trace_id=\"<one>\"}, 24 h"
    times = []
    for i in range(runs):
        while os.path.exists("/work/wt/QUIET"):
            time.sleep(15)
        t = time.perf_counter(); body = get(path, params); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    summary = body.get("data", {}).get("stats", {}).get("summary", {}) if isinstance(body.get("data"), dict) else {}
    print("| %s | %.0f | %.0f | %.0f | %s | %s |" % (name, p(0.5), p(0.99), times[-1], summary.get("totalLinesProcessed", "-"), "yes" if body.get("warnings") else "no"))
