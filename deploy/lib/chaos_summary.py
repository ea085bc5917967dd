"""The chaos run's verdict and table (deploy/chaos.sh calls it at the end; exit 0 = passed).

usage: chaos_summary.py WORK KILLS STOPS RESTARTS LOAD_RC BATCH_RC CALM BATCH_SIZE NETWORK
WORK holds load.json and batch.json (the two load generators' reports), outages ("START END WHAT", epoch seconds: one
line per disruption, for I7) and, when the banks ran on their own network, faults ("KIND START END DETAIL": the
network's faults). NETWORK says what the banks ran on. Passes when both loads exited 0 and their checks hold (I1, I2, the bilateral audit, I3/I5/I6), and something
committed during every disruption (I7).
"""
import glob
import json
import os
import sys

NETWORK_KINDS = (  # kind in the faults file, and its row in the table
    ("isolate", "partitions: a bank cut off from the others"),
    ("halves", "partitions: the consortium split in two halves"),
    ("oneway", "one-way cuts (one bank's packets to another dropped)"),
    ("loss", "random loss on one link"),
    ("latency", "latency on links"),
)


def main(argv):
    work, kills, stops, restarts, load_rc, batch_rc, calm, batch_size, network = argv[1:10]
    reports = []
    for name, err in (("load.json", "load.err"), ("batch.json", "batch.err")):
        try:
            reports.append(json.load(open(os.path.join(work, name))))
        except Exception as e:
            print(f"chaos: a load generator wrote no report ({e}); see {work}/{name} and {err} beside it")
            return 1
    r, batch = reports
    outages = [line.split(maxsplit=2) for line in open(os.path.join(work, "outages")) if line.strip()]
    faults_path = os.path.join(work, "faults")
    faults = [line.split(maxsplit=3) for line in open(faults_path)] if os.path.exists(faults_path) else None
    flowing, longest_stall = liveness(r, outages)
    audits = [x.get("audit") or {} for x in reports]
    ledgers = [x.get("ledgerCheck") or {} for x in reports]
    rows = [
        ("throughput (committed tx/s)", r.get("throughputPerSecond")),
        ("latency p50 / p99 / p999 / max (ms)", latency(r)),
        (f"batched throughput (committed tx/s, batches of {batch_size})", batch.get("throughputPerSecond")),
        ("batch latency p50 / p99 / p999 / max (ms)", latency(batch)),
        ("network", network),
        ("kills (SIGKILL)", kills), ("freezes (SIGSTOP)", stops), ("restarts", restarts),
        *network_rows(faults),
        ("transactions acknowledged (unary / batched)", both(x.get("committed") for x in reports)),
        ("refused: BANK_UNAVAILABLE (unary / batched)", both(refused(x, True) for x in reports)),
        ("refused: other reasons (unary / batched)", both(refused(x, False) for x in reports)),
        ("I1 audit balances", both(a.get("conservation") for a in audits)),
        ("I2 no negative balance", both(a.get("noNegativeBalance") for a in audits)),
        ("bilateral audit: every pair of banks agrees", both(a.get("bilateral") for a in audits)),
        ("I3/I5/I6 acknowledged = in ledgers once", both(l.get("passed") for l in ledgers)),
        ("I7 outages with transfers flowing", f"{flowing}/{len(outages)}"),
        ("in-doubt votes settled on another participant's word (commit / abort)", settled_by_peers(work)),
        ("longest second-by-second stall in an outage (s)", longest_stall),
        ("after a cut healed, seconds until half the calm rate was back (median / max; after cuts of 10 s or more)",
         cut_recovery(r, outages, faults)),
        ("load generator exit codes (unary / batched)", both((load_rc, batch_rc))),
    ]
    print("\n| chaos run | |\n| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")
    for audit in audits:
        for pair in audit.get("disagreeingPairs", []):
            print(f"chaos: bilateral audit broken: {pair} disagree about the money between them")
    ok = load_rc == "0" and batch_rc == "0" and all(a.get("conservation") and a.get("noNegativeBalance")
        and a.get("bilateral") for a in audits) and all(l.get("passed") for l in ledgers) \
        and flowing == len(outages) and (len(outages) > 0 or calm == "1")
    print(f"\n{'bench' if calm == '1' else 'chaos'}: {'PASSED' if ok else 'FAILED'}")
    return 0 if ok else 1


def settled_by_peers(work):
    """What the banks' logs say cooperative termination settled (each settlement logs one warning; a log that left
    similar lines out for rate says so, and then these are at least the counts)."""
    commit = abort = 0
    for path in glob.glob(os.path.join(work, "*.log")):
        for line in open(path, errors="replace"):
            if "on the word of bank" in line:
                commit += "settled COMMIT" in line
                abort += "settled ABORT" in line
    return f"{commit} / {abort}"


def liveness(r, outages):
    """I7 as the unary load saw it: how many disruptions had transfers committing, and the longest zero run."""
    timeline = r.get("timeline", [])  # committed transfers per second since the load started sending
    load_start = r.get("startedAtEpochMillis", 0) / 1000.0
    flowing = longest_stall = 0
    for start, end, what in outages:
        a, b = max(int(float(start) - load_start), 0), max(int(float(end) - load_start) + 1, 0)
        window = timeline[a:b]
        if sum(window) > 0:
            flowing += 1
        else:
            print(f"chaos: I7 broken: nothing committed during {what} (seconds {a}-{b} of the load)")
        run = 0
        for n in window:
            run = run + 1 if n == 0 else 0
            longest_stall = max(longest_stall, run)
    return flowing, longest_stall


CUT_KINDS = ("isolate", "halves", "oneway")


def cut_recovery(r, outages, faults):
    """How long the unary load took, after each network cut healed, to commit again at half its calm rate (the median
    per second over the seconds more than 20 s from any disruption). A cut the next disruption followed before that
    is left out. "-" without network faults."""
    if faults is None:
        return "-"
    timeline = r.get("timeline", [])
    load_start = r.get("startedAtEpochMillis", 0) / 1000.0
    spans = [(float(a) - load_start, float(b) - load_start) for a, b, _ in outages] \
        + [(float(f[1]) - load_start, float(f[2]) - load_start) for f in faults]
    calm = sorted(n for i, n in enumerate(timeline) if all(i < a - 1 or i > b + 20 for a, b in spans))
    if not calm:
        calm = sorted(timeline)
    if not calm:
        return "-"
    half = calm[len(calm) // 2] / 2
    short, long_ = [], []
    for f in faults:
        if f[0] not in CUT_KINDS:
            continue
        start, end = float(f[1]) - load_start, float(f[2]) - load_start
        nxt = min([a for a, _ in spans if a > end] + [len(timeline)])
        second = next((i for i in range(int(end) + 1, min(int(nxt) + 1, len(timeline))) if timeline[i] >= half),
                      None)
        if second is not None:
            (long_ if end - start >= 10 else short).append(second - end)
    every = sorted(short + long_)
    if not every:
        return "-"
    text = f"{every[len(every) // 2]:.0f} / {every[-1]:.0f}"
    return text + (f"; {max(long_):.0f} max after {len(long_)} long cuts" if long_ else "; no long cut")


def network_rows(faults):
    """One row per kind of network fault: how many, for how long in all, and how hard (loss %, delay); "-" each
    when the network was not in play (faults is None)."""
    rows = []
    for kind, label in NETWORK_KINDS:
        if faults is None:
            rows.append((label, "-"))
            continue
        mine = [f for f in faults if f[0] == kind]
        seconds = sum(float(f[2]) - float(f[1]) for f in mine)
        value = f"{len(mine)}, {seconds:.1f} s in all" if mine else "0"
        strengths = sorted({int(f[3].split()[0].rstrip("%")) for f in mine if kind in ("loss", "latency")})
        if strengths:
            unit = "%" if kind == "loss" else " ms"
            value += f" ({strengths[0]}{unit}" + (f" to {strengths[-1]}{unit}" if len(strengths) > 1 else "") \
                + " each way)"
        rows.append((label, value))
    return rows


def both(values):  # the unary load's value / the batch load's
    return " / ".join(str(v) for v in values)


def latency(x):
    lat = x.get("latency", {})
    return " / ".join(f"{lat.get(k + 'Ms', 0):.1f}" for k in ("p50", "p99", "p999", "max"))


def refused(x, unavailable):
    return sum(v for k, v in x.get("outcomes", {}).items()
               if k != "COMMITTED" and (k == "BANK_UNAVAILABLE") == unavailable)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
