#!/usr/bin/env bash
# The benchmark: one table from one run. Four fresh bank-node processes (mutual TLS, fsync on) under the load
# generator, nothing disrupted: cross-bank transfers (every transfer touches two banks) at several client counts,
# the same in batches (SubmitTransactions of 100, 1,000 and 8,190 transfers, 4 clients; latency is the batch's),
# local-only transfers, and latency at a fixed offered rate: cross-bank transfers at --rate a second and batches of
# 100 at --batch-rate a second, sent on a fixed schedule whether or not the banks keep up (load --rate, the open loop;
# at most 64 and 16 calls in flight), their p50/p99/p999 counted from each call's scheduled time (corrected for
# coordinated omission); then, when PostgreSQL is installed, pgbench's TPC-B at the same client counts in a throw-away
# cluster (fsync on) on the same machine, in the same run, with the ratios. Every load run ends with the load
# generator's exact audit and ledger check; a row whose checks fail is marked FAILED.
# The WAN rows (as root: they need network namespaces) run on a second, fresh cluster whose banks each have a network
# namespace on one bridge, with --wan-rtt-ms (default 20) of round trip added between every pair of banks, half each
# way, by an NFQUEUE delayer (deploy/lib/netns.sh); clients reach their bank undelayed. After a 45 s warm-up: unary
# cross-bank at --wan-clients (64 and 256), batches of 100 from as many clients, and batches of 1,000 from 4, each
# first with nothing added (the namespaces' own cost), then with the delay. Without root those rows say "skipped:
# needs root". --only-wan runs just those rows (no loopback rows, no pgbench).
#
#   usage: deploy/bench.sh [--duration SECONDS] [--row-warm-up SECONDS] [--clients 4,16,64,256]
#                          [--batches 100,1000,8190] [--rate R] [--batch-rate B] [--banks N] [--wan-rtt-ms MS]
#                          [--wan-clients 64,256] [--no-wan] [--only-wan] [--keep]
# --duration is per row (default 20), measured after --row-warm-up seconds of the row's own load (default 10; not
# measured, but audited and checked: a change of load shape sets C2 recompiling, 29% of a node's CPU in the next
# 20 s); --rate is transfers a second (default 200), --batch-rate batches of 100 a second (default 10). PostgreSQL:
# `apt-get install postgresql` (Debian) gives pgbench and the server; without it the table has no baseline. Builds
# nothing: run `make build` first (make bench does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration=20 row_warmup=10 client_counts=4,16,64,256 batch_sizes=100,1000,8190 batch_clients=4 banks=4 keep=0
rate=200 batch_rate=10 rate_clients=64 rate_batch=100 rate_batch_clients=16
wan_rtt_ms=20 wan_clients=64,256 wan_batch=1000 wan_client_batch=100 wan=1 only_wan=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --row-warm-up) row_warmup="$2"; shift 2 ;;
    --clients) client_counts="$2"; shift 2 ;;
    --batches) batch_sizes="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --batch-rate) batch_rate="$2"; shift 2 ;;
    --banks) banks="$2"; shift 2 ;;
    --wan-rtt-ms) wan_rtt_ms="$2"; shift 2 ;;
    --wan-clients) wan_clients="$2"; shift 2 ;;
    --no-wan) wan=0; shift ;;
    --only-wan) only_wan=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 5 ]; then
  echo "bench: --duration must be a whole number of seconds, at least 5" >&2; exit 2
fi
if ! [[ "$row_warmup" =~ ^[0-9]+$ ]]; then
  echo "bench: --row-warm-up must be a whole number of seconds (0: none)" >&2; exit 2
fi
if ! [[ "$client_counts" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
  echo "bench: --clients must be a comma-separated list of client counts, e.g. 4,16,64" >&2; exit 2
fi
if ! [[ "$batch_sizes" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
  echo "bench: --batches must be a comma-separated list of batch sizes (1 to 8190), e.g. 100,1000" >&2; exit 2
fi
# A rate: a positive number, e.g. 200 or 0.5; load itself allows up to 1,000,000 calls a second.
positive() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v r="$1" 'BEGIN { exit !(r > 0 && r <= 1000000) }'; }
if ! positive "$rate"; then
  echo "bench: --rate must be a positive number of transfers a second, at most 1000000, e.g. 200" >&2; exit 2
fi
if ! positive "$batch_rate"; then
  echo "bench: --batch-rate must be a positive number of batches a second, at most 1000000, e.g. 10" >&2; exit 2
fi
if ! [[ "$banks" =~ ^[0-9]+$ ]] || [ "$banks" -lt 2 ] || [ "$banks" -gt 8 ]; then
  echo "bench: --banks must be 2 to 8" >&2; exit 2
fi
if ! [[ "$wan_rtt_ms" =~ ^[0-9]+$ ]] || [ "$wan_rtt_ms" -lt 1 ] || [ "$wan_rtt_ms" -gt 1000 ]; then
  echo "bench: --wan-rtt-ms must be a whole number of milliseconds, 1 to 1000 (the round trip between two banks)" >&2
  exit 2
fi
if ! [[ "$wan_clients" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
  echo "bench: --wan-clients must be a comma-separated list of client counts, e.g. 64,256" >&2; exit 2
fi
ls bank-node/target/bank-node-*-all.jar bank-admin-cli/target/bank-admin-cli-*-all.jar >/dev/null 2>&1 \
  || { echo "bench: no jars; run 'make build' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/distribank-bench.XXXXXX")
t0=$(date +%s%N)
elapsed() { local d=$(( ($(date +%s%N) - t0) / 100000000 )); echo "$((d / 10)).$((d % 10))"; }
log() { printf '[bench %5.1fs] %s\n' "$(elapsed)" "$*" >&2; }
seed=$((RANDOM * 32768 + RANDOM))

# Each node's heap is reserved and touched up front, so no row pays for the kernel handing it pages (the JMH runs
# swung 5x on that); a caller's NODE_EXTRA_JAVA_OPTS (e.g. a flight recording) comes after.
export NODE_EXTRA_JAVA_OPTS="-Xms512m -XX:+AlwaysPreTouch ${NODE_EXTRA_JAVA_OPTS:-}"
# shellcheck source=lib/netns.sh
source "$root/deploy/lib/netns.sh"
# shellcheck source=lib/cluster.sh
source "$root/deploy/lib/cluster.sh"
cluster_init "$work/pki"
pg_bin="" pg_data="$work/pg"
rows="$work/rows.jsonl"
finish() {
  stop_cluster
  net_down
  if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop \
    >/dev/null 2>&1 || true; fi
  if [ "$keep" -eq 0 ] && [ "${failed:-0}" -eq 0 ]; then rm -rf "$work"; else log "kept $work"; fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# CPU seconds (user + system) a process has used so far.
cpu_of() { awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$1/stat" 2>/dev/null || echo 0; }
nodes_cpu() { for p in "${pid[@]}"; do cpu_of "$p"; echo; done | awk '{ s += $1 } END { printf "%.2f", s }'; }

# One load run: name, clients, transfers per call, extra load options. Appends one JSON object (the load report plus
# CPU) to rows.
load_row() {
  local name=$1 clients=$2 batch=$3; shift 3
  local before after run="$work/${name//[^A-Za-z0-9]/-}-$clients-$batch"
  before=$(nodes_cpu)
  python3 - "$run.cpu" "${client_exec[@]}" bin/bank-admin load --targets "$targets" --admin-token "$admin_token" \
    --warm-up "${row_warmup}s" --duration "${duration}s" --clients "$clients" --batch-size "$batch" --seed "$seed" \
    --multi-leg-ratio 0 \
    --overdraft-ratio 0 "$@" --output json >"$run.json" 2>"$run.err" <<'PY' || true
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{usage.ru_utime + usage.ru_stime:.2f}\n")
sys.exit(code)
PY
  after=$(nodes_cpu)
  python3 - "$run.json" "$name" "$clients" "$batch" \
    "$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')" "$(cat "$run.cpu" 2>/dev/null || echo 0)" \
    "$banks" >>"$rows" <<'PY'
import json, sys
path, name, clients, batch, node_cpu, load_cpu = sys.argv[1:7]
try:
    r = json.load(open(path))
except Exception as e:  # the load generator failed: say so in the row
    r = {"error": f"no report ({e})"}
row = {"kind": "distribank", "name": name, "clients": int(clients), "batch": int(batch),
       "tps": r.get("throughputPerSecond", 0),
       "committed": r.get("committed", 0), "p50": (r.get("latency") or {}).get("p50Ms"),
       "p99": (r.get("latency") or {}).get("p99Ms"), "p999": (r.get("latency") or {}).get("p999Ms"),
       "nodeCpu": float(node_cpu), "loadCpu": float(load_cpu), "passed": bool(r.get("passed"))}
# The CPU of the run itself, as the load generator sampled it (its own, and each bank's) from its first call to its
# last answer; the /proc counts around the whole command, which also hold the set-up and the audit and ledger check
# (seconds of reading every operation log, which swamp a slow row), are kept only where a bank did not say.
cpu = r.get("cpu") or {}
if cpu.get("banksCounted") == int(sys.argv[7]):
    row["nodeCpu"], row["loadCpu"] = cpu["banksSeconds"], cpu["loadSeconds"]
    row["cpuOf"] = "run"
else:
    row["cpuOf"] = "command"
if "openLoop" in r:  # a fixed offered rate: the schedule's numbers, its latency corrected for coordinated omission
    row["openLoop"] = {k: r["openLoop"].get(k)
                       for k in ("offeredPerSecond", "achievedPerSecond", "late", "waited", "shed")}
print(json.dumps(row))
PY
  log "$name, $clients clients: $(tail -1 "$rows")"
}

log "seed $seed, $banks banks on ports $base_port.., ${duration}s per row, work dir $work"
: >"$rows"
if [ "$only_wan" -eq 0 ]; then
start_cluster
# The JIT is slow to settle on two shared cores: under 256 clients a fresh cluster's throughput climbs for about 90 s
# (perf: C2 was 28% of the nodes' CPU 45-60 s after start, and still compiling 100 methods per 10 s at two minutes),
# so a short warm-up left the first rows measuring compilation. The warm-up runs the rows' paths, at full load.
log "warming up for 90 s (not measured): five fresh JVMs compile the paths the rows use"
for warm in "--clients 64 --duration 70s" "--clients 4 --batch-size 500 --duration 20s"; do
  # shellcheck disable=SC2086 # $warm is a list of options
  bin/bank-admin load --targets "$targets" --admin-token "$admin_token" $warm --seed "$seed" --cross-bank-ratio 1 \
    --output json >>"$work/warmup.json" 2>>"$work/warmup.err" || { log "the warm-up failed; see $work/warmup.err"
    exit 1; }
done
IFS=, read -r -a counts <<<"$client_counts"
for c in "${counts[@]}"; do load_row cross-bank "$c" 1 --cross-bank-ratio 1; done
IFS=, read -r -a batches <<<"$batch_sizes"
for b in "${batches[@]}"; do load_row "batched cross-bank" "$batch_clients" "$b" --cross-bank-ratio 1; done
load_row local-only 16 1 --cross-bank-ratio 0
load_row "cross-bank at $rate tx/s offered" "$rate_clients" 1 --cross-bank-ratio 1 --rate "$rate"
load_row "batched cross-bank at $batch_rate batches/s offered" "$rate_batch_clients" "$rate_batch" \
  --cross-bank-ratio 1 --rate "$batch_rate"
stop_cluster
fi

# The WAN rows: a fresh cluster, a network namespace per bank, warmed up on the rows' paths with nothing added; each
# row first so (what the namespaces cost), then all again with the round trip added between every pair of banks,
# half each way.
IFS=, read -r -a wan_counts <<<"$wan_clients"
wan_label="$wan_rtt_ms ms between banks"
if [ "$wan" -eq 1 ] && net_check; then
  net=1
  net_clean_leftovers
  net_up
  mkdir -p "$work/wan"
  cluster_init "$work/wan/pki" "$work/wan"
  start_cluster
  log "WAN rows: warming up for 45 s (not measured), nothing added between banks yet"
  for warm in "--clients 64 --duration 35s" "--clients 4 --batch-size 500 --duration 10s"; do
    # shellcheck disable=SC2086 # $warm is a list of options
    "${client_exec[@]}" bin/bank-admin load --targets "$targets" --admin-token "$admin_token" $warm --seed "$seed" \
      --cross-bank-ratio 1 --output json >>"$work/wan/warmup.json" 2>>"$work/wan/warmup.err" \
      || { log "the WAN warm-up failed; see $work/wan/warmup.err"; exit 1; }
  done
  wan_rows() { # the row names' suffix
    for c in "${wan_counts[@]}"; do load_row "cross-bank, $1" "$c" 1 --cross-bank-ratio 1; done
    for c in "${wan_counts[@]}"; do load_row "batched cross-bank, $1" "$c" "$wan_client_batch" --cross-bank-ratio 1; done
    load_row "batched cross-bank, $1" "$batch_clients" "$wan_batch" --cross-bank-ratio 1
  }
  wan_rows "bank namespaces, nothing added"
  half_ms=$(awk -v rtt="$wan_rtt_ms" 'BEGIN { print rtt / 2 }')
  for ((i = 0; i < banks; i++)); do
    others=()
    for ((j = 0; j < banks; j++)); do [ "$j" -eq "$i" ] || others+=("$j"); done
    net_delay "$i" "$half_ms" "${others[@]}"
  done
  log "WAN rows: $wan_rtt_ms ms round trip added between every pair of banks ($half_ms ms each way, on arrival);" \
    "a TCP connect ${names[0]} -> ${names[1]}'s peer port takes $(net_connect_ms 0 1 $((peer_port + 1))) ms"
  wan_rows "$wan_label"
  log "WAN rows: the delayers used $(net_delayers_cpu) CPU seconds (not in the rows' CPU column)"
  stop_cluster
  net_down
  net=0 client_exec=()
else
  why=$(if [ "$wan" -eq 0 ]; then echo "--no-wan"; else echo "$net_why"; fi)
  log "WAN rows skipped: $why"
  skipped_row() { # name, clients, batch
    python3 -c 'import json, sys; print(json.dumps({"kind": "skipped", "name": sys.argv[1],
      "clients": int(sys.argv[2]), "batch": int(sys.argv[3]), "why": sys.argv[4]}))' "$@" "$why" >>"$rows"
  }
  for c in "${wan_counts[@]}"; do skipped_row "cross-bank, $wan_label" "$c" 1; done
  for c in "${wan_counts[@]}"; do skipped_row "batched cross-bank, $wan_label" "$c" "$wan_client_batch"; done
  skipped_row "batched cross-bank, $wan_label" "$batch_clients" "$wan_batch"
fi

# The baseline: PostgreSQL's pgbench TPC-B (scale 10) in a throw-away cluster, fsync and synchronous commit on.
IFS=, read -r -a counts <<<"$client_counts"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ "$only_wan" -eq 1 ]; then
  log "--only-wan: no pgbench baseline"
  pg_bin=""
elif [ -z "$pg_bin" ] || ! command -v pgbench >/dev/null; then
  log "PostgreSQL is not installed (Debian: apt-get install postgresql): the table has no baseline"
  pg_bin=""
else
  mkdir -p "$pg_data"; [ "$(id -u)" -eq 0 ] && chown nobody "$work" "$pg_data"
  pg_port=$((base_port + 2000))
  as_pg "$pg_bin/initdb" -D "$pg_data" -A trust -U bench >"$work/pg-initdb.log" 2>&1
  pg_options="-p $pg_port -k $pg_data -c listen_addresses='' -c fsync=on -c synchronous_commit=on"
  pg_options+=" -c max_connections=$(( $(printf '%s\n' "${counts[@]}" | sort -n | tail -1) + 20 ))"
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -o "$pg_options" start >/dev/null
  as_pg pgbench -h "$pg_data" -p "$pg_port" -U bench -i -s 10 -q postgres >"$work/pg-init.log" 2>&1
  for c in "${counts[@]}"; do
    tps=$(as_pg pgbench -h "$pg_data" -p "$pg_port" -U bench -c "$c" -j 2 -T "$duration" postgres 2>/dev/null \
      | awk '/^tps = / { print $3; exit }')
    echo "{\"kind\": \"pgbench\", \"clients\": $c, \"tps\": ${tps:-0}}" >>"$rows"
    log "pgbench, $c clients: ${tps:-?} tps"
  done
fi

failed=0
python3 - "$rows" "$banks" "$duration" <<'PY' || failed=1
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
banks, duration = sys.argv[2], sys.argv[3]
pg = {r["clients"]: r["tps"] for r in rows if r["kind"] == "pgbench"}
ms = lambda v: "-" if v is None else f"{v:.1f}"
print(f"\nDistriBank, {banks} banks, mutual TLS, fsync on; {duration} s per row; pgbench TPC-B scale 10, fsync on")
print("| workload | clients | batch | tx/s | p50 ms | p99 ms | p999 ms | CPU µs/tx (nodes + load) | pgbench tps "
      "| ratio | checks |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
ok = True
fixed_rate = []
wan = [r for r in rows if r["kind"] == "distribank" and "between banks" in r["name"]]
for r in (r for r in rows if r["kind"] in ("distribank", "skipped")):
    if r["kind"] == "skipped":  # a row this machine cannot run, and why
        print(f'| {r["name"]} | {r["clients"]} | {r["batch"]} | skipped: {r["why"]} | - | - | - | - | - | - | - |')
        continue
    committed = max(r["committed"], 1)
    cpu = f'{r["nodeCpu"] / committed * 1e6:.0f} + {r["loadCpu"] / committed * 1e6:.0f}'
    if r.get("cpuOf") == "command":
        cpu += "*"
    base = pg.get(r["clients"]) if r["name"].endswith("cross-bank") and "openLoop" not in r else None
    ratio = f'{r["tps"] / base:.2f}×' if base else "-"
    ok &= r["passed"]
    clients = r["clients"]
    if "openLoop" in r:  # the clients are the most calls in flight
        clients = f"≤{clients}"
        fixed_rate.append(r)
    print(f'| {r["name"]} | {clients} | {r.get("batch", 1)} | {r["tps"]:,.0f} | {ms(r["p50"])} | {ms(r["p99"])} '
          f'| {ms(r["p999"])} | {cpu} | {f"{base:,.0f}" if base else "-"} | {ratio} '
          f'| {"passed" if r["passed"] else "FAILED"} |')
command_cpu = any(r.get("cpuOf") == "command" for r in rows if r["kind"] == "distribank")
if pg or fixed_rate or wan or command_cpu:
    print()
print("CPU: of the run alone (first call to last answer), as the load generator sampled itself and each bank")
if command_cpu:
    print("  *: a bank did not say, so the whole command's, set-up and final checks included (an overestimate)")
if wan:
    print(f"WAN rows: a fresh cluster, each bank in its own network namespace on one bridge, the round trip named in\n"
          f"  the row added between every pair of banks (half each way, held on arrival by an NFQUEUE delayer);\n"
          f"  clients reach their own bank with nothing added")
if fixed_rate:
    print("fixed offered rate: latency from each call's scheduled time (corrected for coordinated omission);\n"
          "  late = sent 1 ms or more behind schedule, waited = found every client busy, shed = never sent")
for r in fixed_rate:
    o = r["openLoop"]
    unit = "tx" if r.get("batch", 1) == 1 else "batches"
    print(f'  {r["name"]}: achieved {o.get("achievedPerSecond") or 0:,.1f} {unit}/s; {o.get("late")} late, '
          f'{o.get("waited")} waited, {o.get("shed")} shed')
for kind in ("cross-bank", "batched cross-bank"):
    best = max((r["tps"] for r in rows if r["kind"] == "distribank" and r["name"] == kind), default=0)
    if pg and best:
        print(f"best {kind} {best:,.0f} tx/s vs best pgbench {max(pg.values()):,.0f} tps: "
              f"{best / max(pg.values()):.2f}×")
sys.exit(0 if ok else 1)
PY
exit "$failed"
