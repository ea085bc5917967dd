#!/usr/bin/env bash
# Starts a local consortium of N banks (default 4: alpha, beta, gamma, delta) on 127.0.0.1:7001.. in the
# foreground, data under ./data/<bank>. Ctrl-C (or SIGTERM) stops them all gracefully.
# The admin and peer tokens are generated once into ./data/admin-token and ./data/peer-token: never a default.
#   usage: deploy/local-cluster.sh [N]      (1 <= N <= 12)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-4}"
names=(alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron)
if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt ${#names[@]} ]; then
  echo "usage: $0 [N]   (number of banks, 1 to ${#names[@]}; default 4)" >&2
  exit 2
fi
mkdir -p data
for secret in admin-token peer-token; do
  if [ ! -s "data/$secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "data/$secret")
    echo "local-cluster: wrote a new data/$secret"
  fi
done
export BANK_ADMIN_TOKEN="$(cat data/admin-token)" BANK_PEER_TOKEN="$(cat data/peer-token)"
peers=""
for ((i = 0; i < n; i++)); do
  peers+="${peers:+,}${names[$i]}=127.0.0.1:$((7001 + i))"
done
export BANK_PEERS="$peers"

pids=()
stop_all() {
  trap - INT TERM
  echo "local-cluster: stopping ${#pids[@]} bank(s)…"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop_all INT TERM

for ((i = 0; i < n; i++)); do
  bank="${names[$i]}"
  BANK_ID="$bank" BANK_LISTEN="127.0.0.1:$((7001 + i))" BANK_DATA_DIR="data/$bank" \
    bin/bank-node > >(sed -u "s/^/[$bank] /") 2>&1 &
  pids+=($!)
done
echo "local-cluster: $n bank(s): $peers"
echo "local-cluster: try 'bin/bank-admin health' (alpha) or 'bin/bank-admin --target 127.0.0.1:7002 health' (beta);"
echo "local-cluster: admin calls take --token \"\$(cat data/admin-token)\". Ctrl-C stops the cluster."
wait "${pids[@]}"
