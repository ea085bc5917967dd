#!/usr/bin/env bash
# Starts a local consortium of N banks (default 4: alpha, beta, gamma, delta) in the foreground: clients reach them
# over TLS on 127.0.0.1:7001.., the banks reach each other over mutual TLS on 127.0.0.1:7101..; each serves its
# metrics (Prometheus text, plaintext HTTP) on http://127.0.0.1:9401../metrics; data under ./data/<bank>.
# Ctrl-C (or SIGTERM) stops them all gracefully.
# Made once, never a default: the admin token (./data/admin-token) and the consortium's certificates (./data/pki:
# a CA, and one key pair per bank, as 'bank-admin pki init' writes them).
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
if [ ! -s data/admin-token ]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > data/admin-token)
  echo "local-cluster: wrote a new data/admin-token"
fi
for ((i = 0; i < n; i++)); do
  if [ ! -s "data/pki/${names[$i]}.pem" ]; then
    if [ -e data/pki/ca.pem ]; then
      # The CA exists (an earlier, smaller cluster): issue the new bank its certificate from it.
      bin/bank-admin pki issue --dir data/pki --bank "${names[$i]}" >/dev/null
    else
      bin/bank-admin pki init --banks "$(IFS=,; echo "${names[*]:0:$n}")" --out data/pki >/dev/null
    fi
    echo "local-cluster: wrote certificates into data/pki"
  fi
done
export BANK_ADMIN_TOKEN="$(cat data/admin-token)" BANK_PKI_DIR="data/pki"
peers=""
for ((i = 0; i < n; i++)); do
  peers+="${peers:+,}${names[$i]}=127.0.0.1:$((7101 + i))"
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
    BANK_METRICS_LISTEN="127.0.0.1:$((9401 + i))" bin/bank-node > >(sed -u "s/^/[$bank] /") 2>&1 &
  pids+=($!)
done
echo "local-cluster: $n bank(s) on 127.0.0.1:7001..$((7000 + n)) (TLS); peer links on $peers (mutual TLS)"
echo "local-cluster: metrics on http://127.0.0.1:9401/metrics .. http://127.0.0.1:$((9400 + n))/metrics" \
  "(Prometheus text; e.g. curl -s 127.0.0.1:9401/metrics | grep ^distribank_)"
echo "local-cluster: export BANK_CA_CERT=data/pki/ca.pem, then try 'bin/bank-admin health' (alpha) or"
echo "local-cluster: 'bin/bank-admin --target 127.0.0.1:7002 health' (beta); admin calls take"
echo "local-cluster: --token \"\$(cat data/admin-token)\". Ctrl-C stops the cluster."
wait "${pids[@]}"
