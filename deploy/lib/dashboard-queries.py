#!/usr/bin/env python3
"""Runs every query of a Grafana dashboard against a live Prometheus, as deploy/container-test.sh's last check.

usage: dashboard-queries.py PROMETHEUS_URL DASHBOARD_JSON [--require-series]

Grafana's variables are filled the way the dashboard's defaults fill them ($bank = all banks, $__rate_interval = 1m).
Each query must parse (Prometheus answers "success"). With --require-series (the banks serve /metrics), every bank
must be scraped and each query must find series, except those of counters that stay absent until something happens
(a failed login, a refusal, an abort). Exits 1 naming the panel and the query that failed, 0 otherwise.
"""
import json
import sys
import urllib.parse
import urllib.request

# Counters a quiet consortium may never have touched: no series is not a fault for these.
MAY_BE_ABSENT = ("distribank_login_failures_total", "distribank_requests_refused_total", 'outcome="aborted"')


def query(base, expr):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:  # 400 for a query that does not parse, with Prometheus's reason
        return json.load(e)


def targets(dashboard):
    for panel in dashboard["panels"]:
        for t in panel.get("targets", []):
            yield panel["title"], t["refId"], t["expr"]


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--require-series"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base, path, require = argv[1].rstrip("/"), argv[2], len(argv) == 4
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    up = query(base, 'up{job="distribank"}')["data"]["result"]
    scraped = sum(1 for r in up if r["value"][1] == "1")
    print(f"         prometheus: {scraped}/{len(up)} banks scraped (up == 1)")
    if require and (scraped == 0 or scraped != len(up)):
        print("         FAIL  the banks serve /metrics, but Prometheus does not scrape every one")
        return 1
    failed = empty = 0
    for title, ref, expr in targets(dashboard):
        filled = expr.replace("$__rate_interval", "1m").replace('"$bank"', '".*"')
        answer = query(base, filled)
        if answer.get("status") != "success":
            failed += 1
            print(f"         FAIL  {title} ({ref}): {answer.get('error')} in: {filled}")
            continue
        series = len(answer["data"]["result"])
        if series == 0 and require and not any(m in expr for m in MAY_BE_ABSENT):
            empty += 1
            print(f"         EMPTY {title} ({ref}): no series for {filled}")
        else:
            print(f"         ok    {title} ({ref}): {series} series")
    if failed or empty:
        return 1
    if not require:
        print("         (this node has no --metrics-listen, so the queries were only parsed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
