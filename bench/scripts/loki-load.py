# Sends N log records over OTLP/JSON to a Glust, spread over the last 24 h: 20 services
# (svc-0..svc-19, deployment.environment=prod), 70 % INFO / 15 % DEBUG / 10 % WARN / 5 % ERROR,
# 30 % JSON bodies with a status, half with trace context, an http.route attribute.
# Usage: python3 loki-load.py 1000000 http://127.0.0.1:4318/v1/logs (waits while /work/wt/QUIET exists)
import json, os, random, sys, time, urllib.request
N = int(sys.argv[1]); url = sys.argv[2]
random.seed(42)
now = time.time_ns()
words = ["request","handled","user","cache","miss","order","payment","timeout","retry","slow","query","session"]
sev = [(9,"INFO")]*14 + [(5,"DEBUG")]*3 + [(13,"WARN")]*2 + [(17,"ERROR")]
BATCH = 5000
sent = 0
t0 = time.time()
while sent < N:
    while os.path.exists("/work/wt/QUIET"):
        time.sleep(15)
    by_service = {}
    for i in range(min(BATCH, N - sent)):
        s = random.randrange(20)
        n, txt = random.choice(sev)
        t = now - random.randrange(24 * 3600 * 10**9)
        if random.random() < 0.3:
            body = json.dumps({"msg": " ".join(random.choices(words, k=4)), "status": random.choice([200,200,200,404,500,503]), "user": "u%d" % random.randrange(10000)})
        else:
            body = " ".join(random.choices(words, k=6))
        rec = {"timeUnixNano": str(t), "severityNumber": n, "severityText": txt, "body": {"stringValue": body},
               "attributes": [{"key": "http.route", "value": {"stringValue": "/r%d" % random.randrange(30)}}]}
        if random.random() < 0.5:
            rec["traceId"] = "%032x" % random.getrandbits(128); rec["spanId"] = "%016x" % random.getrandbits(64)
        by_service.setdefault(s, []).append(rec)
    resources = [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc-%d" % s}},
                                              {"key": "deployment.environment", "value": {"stringValue": "prod"}}]},
                  "scopeLogs": [{"logRecords": recs}]} for s, recs in by_service.items()]
    data = json.dumps({"resourceLogs": resources}).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    for attempt in range(20):
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                assert r.status == 200, r.status
            break
        except Exception as e:
            time.sleep(1)
    else:
        raise SystemExit("gave up")
    sent += sum(len(v) for v in by_service.values())
print("sent", sent, "in", round(time.time() - t0), "s")
