#!/usr/bin/env bash
# The chaos run: four real bank-node processes under two load generators at once, one sending transfers one per call
# and one sending them in batches (SubmitTransactions of --batch-size, from --batch-clients clients, as its own
# customer: another seed), while a random bank is killed with SIGKILL (and restarted) or frozen with SIGSTOP (and
# thawed) every few seconds. At the end every bank must be SERVING again and both load generators' checks must pass:
#   I1/I2  the audit balances exactly and no balance is negative, and every pair of banks agrees on the money
#          between them (the bilateral check),
#   I3/I5/I6  every transfer the client saw acknowledged is in every involved bank's log exactly once, and none is
#          committed at one bank and missing at another,
#   I7     transfers kept committing during every outage (among the banks that were up), as the unary load saw.
#
#   usage: deploy/chaos.sh [--duration SECONDS] [--seed N] [--banks N] [--clients N] [--batch-size N]
#                          [--batch-clients N] [--keep] [--calm]
# Defaults: 8 clients, batches of 50 from 2 clients. --calm disrupts nothing: the same cluster and load, after a 20 s
# warm-up, as a benchmark.
# Builds nothing: run `make build` first (make chaos does). Everything it writes goes to a fresh directory under
# ${TMPDIR:-/tmp}, removed on success unless --keep; on failure it is kept and named.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration=60 seed=$((RANDOM * 32768 + RANDOM)) banks=4 clients=8 batch_size=50 batch_clients=2 keep=0 calm=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --banks) banks="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --batch-size) batch_size="$2"; shift 2 ;;
    --batch-clients) batch_clients="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --calm) calm=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 30 ]; then
  echo "chaos: --duration must be a whole number of seconds, at least 30" >&2; exit 2
fi
if ! [[ "$banks" =~ ^[0-9]+$ ]] || [ "$banks" -lt 3 ] || [ "$banks" -gt 8 ]; then
  echo "chaos: --banks must be 3 to 8 (one is down at a time; the others must keep going)" >&2; exit 2
fi
if ! [[ "$batch_size" =~ ^[0-9]+$ ]] || [ "$batch_size" -lt 2 ] || [ "$batch_size" -gt 8190 ]; then
  echo "chaos: --batch-size must be 2 to 8190 (transfers per SubmitTransactions)" >&2; exit 2
fi
if ! [[ "$batch_clients" =~ ^[0-9]+$ ]] || [ "$batch_clients" -lt 1 ] || [ "$batch_clients" -gt 64 ]; then
  echo "chaos: --batch-clients must be 1 to 64" >&2; exit 2
fi
ls bank-node/target/bank-node-*-all.jar bank-admin-cli/target/bank-admin-cli-*-all.jar >/dev/null 2>&1 \
  || { echo "chaos: no jars; run 'make build' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/distribank-chaos.XXXXXX")
log() { printf '[chaos %5.1fs] %s\n' "$(elapsed)" "$*"; }
t0=$(date +%s%N)
elapsed() { local d=$(( ($(date +%s%N) - t0) / 100000000 )); echo "$((d / 10)).$((d % 10))"; }
now() { date +%s.%N; }

# shellcheck source=lib/cluster.sh
source "$root/deploy/lib/cluster.sh"
trap stop_cluster EXIT
RANDOM=$((seed % 32768))

log "seed $seed, $banks banks on ports $base_port.. (peers, mutual TLS: $peer_port..), load for ${duration}s" \
  "(and batches of $batch_size from $batch_clients clients), work dir $work"
start_cluster

if [ "$calm" -eq 1 ]; then
  # A benchmark measures the steady state: five fresh JVMs spend their first seconds compiling, so warm up first
  # with the same seed (the measured run reuses the same accounts) and throw that run's numbers away.
  log "warming up for 20 s (not measured)"
  bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration 20s --clients "$clients" \
    --seed "$seed" --output json >"$work/warmup.json" 2>"$work/warmup.err" \
    || { log "the warm-up load failed; see $work/warmup.err"; exit 1; }
fi
bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration "${duration}s" --clients "$clients" \
  --seed "$seed" --retries 3 --output json >"$work/load.json" 2>"$work/load.err" &
load_pid=$!
# The batch traffic, through the same disruptions. Another seed is another customer with its own accounts, so neither
# load moves the other's money: each one's exact checks of its own acknowledged transfers stay exact.
bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration "${duration}s" \
  --clients "$batch_clients" --batch-size "$batch_size" --seed "$((seed + 1))" --retries 3 --output json \
  >"$work/batch.json" 2>"$work/batch.err" &
batch_pid=$!

# Leave the load time to set up its accounts, and the last seconds calm so its final audit sees every bank.
setup_grace=10 calm_tail=12
kills=0 stops=0 restarts=0
: >"$work/outages"
sleep "$setup_grace"
while [ "$calm" -eq 0 ] && [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt $((duration + setup_grace / 2 - calm_tail)) ] \
    && kill -0 "$load_pid" 2>/dev/null; do
  victim=$((RANDOM % banks))
  bank=${names[$victim]}
  down_for=$((2 + RANDOM % 3))
  started=$(now)
  if [ $((RANDOM % 4)) -eq 0 ]; then
    log "SIGSTOP $bank for ${down_for}s"
    kill -STOP "${pid[$victim]}"; stops=$((stops + 1))
    sleep "$down_for"
    kill -CONT "${pid[$victim]}"
    log "SIGCONT $bank"
  else
    log "kill -9 $bank, down for ${down_for}s"
    kill -KILL "${pid[$victim]}"; wait "${pid[$victim]}" 2>/dev/null || true; kills=$((kills + 1))
    sleep "$down_for"
    start_node "$victim"; restarts=$((restarts + 1))
    wait_serving "$victim" 60 || { log "bank $bank did not come back; see $work/$bank.log"; exit 1; }
    log "$bank restarted and SERVING"
  fi
  echo "$started $(now) $bank" >>"$work/outages"
  sleep $((2 + RANDOM % 3))
done

for ((i = 0; i < banks; i++)); do
  wait_serving "$i" 60 || { log "bank ${names[$i]} is not SERVING at the end"; exit 1; }
done
log "disruptions over: $kills kills, $stops stops, $restarts restarts; waiting for the loads to finish"
set +e
wait "$load_pid"
load_rc=$?
wait "$batch_pid"
batch_rc=$?

python3 - "$work/load.json" "$work/batch.json" "$work/outages" "$kills" "$stops" "$restarts" "$load_rc" "$batch_rc" \
  "$calm" "$batch_size" <<'PY'
import json, sys
path, batch_path, outages_path, kills, stops, restarts, load_rc, batch_rc, calm, batch_size = sys.argv[1:11]
reports = []
for p, err in ((path, "load.err"), (batch_path, "batch.err")):
    try:
        reports.append(json.load(open(p)))
    except Exception as e:
        print(f"chaos: a load generator wrote no report ({e}); see {p} and {err} beside it")
        sys.exit(1)
r, batch = reports
timeline = r.get("timeline", [])          # committed transfers per second since the load started sending
load_start = r.get("startedAtEpochMillis", 0) / 1000.0
outages = [l.split() for l in open(outages_path) if l.strip()]
flowing = 0
longest_stall = 0
for start, end, bank in outages:
    a, b = max(int(float(start) - load_start), 0), max(int(float(end) - load_start) + 1, 0)
    window = timeline[a:b]
    if sum(window) > 0:
        flowing += 1
    else:
        print(f"chaos: I7 broken: nothing committed while {bank} was down (seconds {a}-{b} of the load)")
    run = 0
    for n in window:
        run = run + 1 if n == 0 else 0
        longest_stall = max(longest_stall, run)
audits = [x.get("audit") or {} for x in reports]
ledgers = [x.get("ledgerCheck") or {} for x in reports]
def both(values):  # the unary load's value / the batch load's
    return " / ".join(str(v) for v in values)
def latency(x):
    lat = x.get("latency", {})
    return " / ".join(f"{lat.get(k + 'Ms', 0):.1f}" for k in ("p50", "p99", "p999", "max"))
def refused(x, unavailable):
    return sum(v for k, v in x.get("outcomes", {}).items()
               if k != "COMMITTED" and (k == "BANK_UNAVAILABLE") == unavailable)
rows = [
    ("throughput (committed tx/s)", r.get("throughputPerSecond")),
    ("latency p50 / p99 / p999 / max (ms)", latency(r)),
    (f"batched throughput (committed tx/s, batches of {batch_size})", batch.get("throughputPerSecond")),
    ("batch latency p50 / p99 / p999 / max (ms)", latency(batch)),
    ("kills (SIGKILL)", kills), ("freezes (SIGSTOP)", stops), ("restarts", restarts),
    ("transactions acknowledged (unary / batched)", both(x.get("committed") for x in reports)),
    ("refused: BANK_UNAVAILABLE (unary / batched)", both(refused(x, True) for x in reports)),
    ("refused: other reasons (unary / batched)", both(refused(x, False) for x in reports)),
    ("I1 audit balances", both(a.get("conservation") for a in audits)),
    ("I2 no negative balance", both(a.get("noNegativeBalance") for a in audits)),
    ("bilateral audit: every pair of banks agrees", both(a.get("bilateral") for a in audits)),
    ("I3/I5/I6 acknowledged = in ledgers once", both(l.get("passed") for l in ledgers)),
    ("I7 outages with transfers flowing", f"{flowing}/{len(outages)}"),
    ("longest second-by-second stall in an outage (s)", longest_stall),
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
sys.exit(0 if ok else 1)
PY
verdict=$?
set -e
if [ "$verdict" -eq 0 ] && [ "$keep" -eq 0 ]; then
  stop_cluster; trap - EXIT; rm -rf "$work"
else
  echo "chaos: logs and data kept in $work"
fi
exit "$verdict"
