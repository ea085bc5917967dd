#!/usr/bin/env bash
# The chaos run: four real bank-node processes under two load generators at once, one sending transfers one per call
# and one sending them in batches (SubmitTransactions of --batch-size, from --batch-clients clients, as its own
# customer: another seed), while a random bank is killed with SIGKILL (and restarted) or frozen with SIGSTOP (and
# thawed) every few seconds. With --net (the default where it can run: as root) each bank has a network namespace
# and address of its own on a bridge, and the faults also take the network between banks: a bank cut off from all
# the others, the consortium split in two halves, a one-way cut, random loss on one link, latency on links; each
# for a few seconds, then healed. At the end every bank must be SERVING again and both load generators' checks pass:
#   I1/I2  the audit balances exactly and no balance is negative, and every pair of banks agrees on the money
#          between them (the bilateral check),
#   I3/I5/I6  every transfer the client saw acknowledged is in every involved bank's log exactly once, and none is
#          committed at one bank and missing at another,
#   I7     transfers kept committing during every outage (among the banks that were up), as the unary load saw.
#
#   usage: deploy/chaos.sh [--duration SECONDS] [--seed N] [--banks N] [--clients N] [--batch-size N]
#                          [--batch-clients N] [--net | --no-net] [--keep] [--calm]
# Defaults: 8 clients, batches of 50 from 2 clients. --calm disrupts nothing: the same cluster and load, after a 20 s
# warm-up, as a benchmark. --net insists on the network (exit 2 if it cannot run here); --no-net runs on loopback
# with process faults only. The network is removed at exit, also on Ctrl-C, SIGTERM or failure, and a run killed
# with kill -9 has its leftovers removed by the next one (deploy/lib/netns.sh).
# Builds nothing: run `make build` first (make chaos does). Everything it writes goes to a fresh directory under
# ${TMPDIR:-/tmp}, removed on success unless --keep; on failure it is kept and named.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration=60 seed=$((RANDOM * 32768 + RANDOM)) banks=4 clients=8 batch_size=50 batch_clients=2 keep=0 calm=0
net_mode=auto
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
    --net) net_mode=on; shift ;;
    --no-net) net_mode=off; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

log() { printf '[chaos %5.1fs] %s\n' "$(elapsed)" "$*"; }
t0=$(date +%s%N)
elapsed() { local d=$(( ($(date +%s%N) - t0) / 100000000 )); echo "$((d / 10)).$((d % 10))"; }
now() { date +%s.%N; }
pause() { sleep "$1" & wait $!; } # a sleep that SIGTERM interrupts (the trap runs at once, not after it)

# shellcheck source=lib/netns.sh
source "$root/deploy/lib/netns.sh"
net=0 net_note="loopback, --no-net"
if [ "$net_mode" != off ]; then
  if net_check; then
    net=1 net_note="a namespace per bank on a bridge, $net_subnet.0/24"
  elif [ "$net_mode" = on ]; then
    echo "chaos: --net cannot run here: $net_why" >&2; exit 2
  else
    net_note="loopback: network faults skipped, $net_why"
    echo "chaos: network faults skipped: $net_why; running on loopback with kill -9 and SIGSTOP only"
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/distribank-chaos.XXXXXX")
load_pid="" batch_pid=""
finish() { # at every exit: the loads, the nodes, then the network (namespaces, rules, delayers)
  set +e
  for p in $load_pid $batch_pid; do kill -TERM "$p" 2>/dev/null; done
  for p in $load_pid $batch_pid; do wait "$p" 2>/dev/null; done
  declare -F stop_cluster >/dev/null && stop_cluster
  net_down
}
trap finish EXIT
trap 'log "interrupted; logs and data kept in $work"; exit 130' INT
trap 'log "terminated; logs and data kept in $work"; exit 143' TERM
# shellcheck source=lib/cluster.sh
source "$root/deploy/lib/cluster.sh"
if [ "$net" -eq 1 ]; then
  net_clean_leftovers
  net_up
  # shellcheck source=lib/net-nemesis.sh
  source "$root/deploy/lib/net-nemesis.sh"
fi
cluster_init "$work/pki"
RANDOM=$((seed % 32768))

log "seed $seed, $banks banks on ports $base_port.. (peers, mutual TLS: $peer_port..), load for ${duration}s" \
  "(and batches of $batch_size from $batch_clients clients), work dir $work"
start_cluster

if [ "$calm" -eq 1 ]; then
  # A benchmark measures the steady state: five fresh JVMs spend their first seconds compiling, so warm up first
  # with the same seed (the measured run reuses the same accounts) and throw that run's numbers away.
  log "warming up for 20 s (not measured)"
  "${client_exec[@]}" bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration 20s \
    --clients "$clients" --seed "$seed" --output json >"$work/warmup.json" 2>"$work/warmup.err" \
    || { log "the warm-up load failed; see $work/warmup.err"; exit 1; }
fi
load_started=$(date +%s)
"${client_exec[@]}" bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration "${duration}s" \
  --clients "$clients" --seed "$seed" --retries 3 --output json >"$work/load.json" 2>"$work/load.err" &
load_pid=$!
# The batch traffic, through the same disruptions. Another seed is another customer with its own accounts, so neither
# load moves the other's money: each one's exact checks of its own acknowledged transfers stay exact.
"${client_exec[@]}" bin/bank-admin load --targets "$targets" --admin-token "$admin_token" --duration "${duration}s" \
  --clients "$batch_clients" --batch-size "$batch_size" --seed "$((seed + 1))" --retries 3 --output json \
  >"$work/batch.json" 2>"$work/batch.err" &
batch_pid=$!

# Leave the load time to set up its accounts, and the last seconds calm so that its final audit sees every bank and
# every vote held across a cut is settled once the cut heals (a participant's YES waits for its coordinator).
setup_grace=10 calm_tail=12
[ "$net" -eq 0 ] || calm_tail=15
faults_until=$((load_started + duration - calm_tail))
kills=0 stops=0 restarts=0 round=()
: >"$work/outages"
[ "$net" -eq 0 ] || : >"$work/faults" # no faults file: the table says the network was not in play

shuffle_round() { # from, to: puts round[from..to] in a random order (from RANDOM, in this shell: the seed replays it)
  local j k t
  for ((j = $2; j > $1; j--)); do
    k=$(($1 + RANDOM % (j - $1 + 1))); t=${round[$j]}; round[$j]=${round[$k]}; round[$k]=$t
  done
}

# Sets kind, the next fault. Without --net: kill -9, or 1 in 4 SIGSTOP. With --net: rounds of every kind once, in a
# random order; the first round starts with the two partitions, so that a short run (make test's 60 s has room for
# about six faults) always has them.
rounds=0
next_kind() {
  if [ "$net" -eq 0 ]; then
    if [ $((RANDOM % 4)) -eq 0 ]; then kind=stop; else kind=kill; fi
    return
  fi
  if [ ${#round[@]} -eq 0 ]; then
    rounds=$((rounds + 1))
    round=(isolate halves kill stop oneway loss latency)
    if [ "$rounds" -eq 1 ]; then shuffle_round 0 1; shuffle_round 2 6; else shuffle_round 0 6; fi
  fi
  kind=${round[0]}
  round=("${round[@]:1}")
}

pause "$setup_grace"
while [ "$calm" -eq 0 ] && kill -0 "$load_pid" 2>/dev/null; do
  next_kind
  down_for=$((2 + RANDOM % 3)) calm_after=0
  case "$kind" in
    loss | latency) down_for=$((down_for + 1)) ;;
    # In a long run, one cut in three lasts 10-20 s: past the participants' 15 s inquiry. A connection that lost
    # packets for that long has backed its TCP retransmissions off to about 13 s, so a long cut also leaves 30 s
    # before the calm tail, and is followed by 10 s without faults, for the table to say how long the banks took to
    # recover from it.
    isolate | halves | oneway)
      if [ "$duration" -ge 300 ] && [ $((RANDOM % 3)) -eq 0 ] && [ $(($(date +%s) + 50)) -le "$faults_until" ]; then
        down_for=$((10 + RANDOM % 11))
        calm_after=10
      fi ;;
  esac
  # Start only what ends before the calm tail: a killed bank also needs some seconds to restart.
  restart_time=0
  [ "$kind" != kill ] || restart_time=8
  [ $(( $(date +%s) + down_for + restart_time )) -le "$faults_until" ] || break
  victim=$((RANDOM % banks))
  bank=${names[$victim]}
  started=$(now)
  case "$kind" in
    stop)
      log "SIGSTOP $bank for ${down_for}s"
      kill -STOP "${pid[$victim]}"; stops=$((stops + 1))
      pause "$down_for"
      kill -CONT "${pid[$victim]}"
      log "SIGCONT $bank"
      echo "$started $(now) $bank frozen" >>"$work/outages" ;;
    kill)
      log "kill -9 $bank, down for ${down_for}s"
      kill -KILL "${pid[$victim]}"; wait "${pid[$victim]}" 2>/dev/null || true; kills=$((kills + 1))
      pause "$down_for"
      start_node "$victim"; restarts=$((restarts + 1))
      wait_serving "$victim" 60 && node_pid_ok "$victim" \
        || { log "bank $bank did not come back; see $work/$bank.log"; exit 1; }
      log "$bank restarted and SERVING"
      echo "$started $(now) $bank killed" >>"$work/outages" ;;
    *) net_fault "$kind" "$down_for" ;;
  esac
  if [ "$net" -eq 1 ]; then pause $((1 + RANDOM % 2 + calm_after)); else pause $((2 + RANDOM % 3)); fi
done

for ((i = 0; i < banks; i++)); do
  wait_serving "$i" 60 || { log "bank ${names[$i]} is not SERVING at the end"; exit 1; }
done
log "disruptions over: $kills kills, $stops stops, $restarts restarts, $(cat "$work/faults" 2>/dev/null | wc -l) network faults;" \
  "waiting for the loads to finish"
set +e
wait "$load_pid"
load_rc=$?
wait "$batch_pid"
batch_rc=$?

python3 "$root/deploy/lib/chaos_summary.py" "$work" "$kills" "$stops" "$restarts" "$load_rc" "$batch_rc" "$calm" \
  "$batch_size" "$net_note"
verdict=$?
set -e
if [ "$verdict" -eq 0 ] && [ "$keep" -eq 0 ]; then
  finish; trap - EXIT; rm -rf "$work"
else
  echo "chaos: logs and data kept in $work"
fi
exit "$verdict"
