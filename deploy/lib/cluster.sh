# Sourced by deploy/chaos.sh and deploy/bench.sh: N real bank-node processes on loopback, each with its own data
# directory under $work, mutual TLS between them from a CA made for the run. The caller sets work, banks and
# log(); this file sets names, base_port, peer_port, metrics_port, admin_token, targets, pid[] and the functions
# below. NODE_EXTRA_JAVA_OPTS, when set, is added to every node's JVM options (e.g. a flight recording while
# profiling). Every bank serves its metrics on http://127.0.0.1:<metrics_port + i>/metrics; NODE_METRICS=off
# starts them without (to measure what the metrics cost).
names=(alpha beta gamma delta epsilon zeta eta theta)
base_port=$((17100 + RANDOM % 800))
peer_port=$((base_port + 1000)) # the banks' mutual-TLS peer ports
metrics_port=$((base_port + 1500)) # the banks' plaintext /metrics ports
admin_token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export BANK_ADMIN_TOKEN="$admin_token"
peers="" targets=""
for ((i = 0; i < banks; i++)); do
  peers+="${peers:+,}${names[$i]}=127.0.0.1:$((peer_port + i))"
  targets+="${targets:+,}${names[$i]}=127.0.0.1:$((base_port + i))"
done
export BANK_PEERS="$peers"
# Every bank proves who it is with a certificate from a CA made for this run; clients trust that CA.
bin/bank-admin pki init --banks "$(IFS=,; echo "${names[*]:0:$banks}")" --out "$work/pki" >/dev/null
export BANK_PKI_DIR="$work/pki" BANK_CA_CERT="$work/pki/ca.pem"
declare -a pid

start_node() { # bank index
  local i=$1 bank=${names[$1]}
  local metrics="127.0.0.1:$((metrics_port + i))"
  [ "${NODE_METRICS:-on}" != off ] || metrics=""
  BANK_ID="$bank" BANK_LISTEN="127.0.0.1:$((base_port + i))" BANK_DATA_DIR="$work/$bank" \
    BANK_METRICS_LISTEN="$metrics" BANK_NODE_JAVA_OPTS="-Xmx512m ${NODE_EXTRA_JAVA_OPTS:-}" \
    bin/bank-node >>"$work/$bank.log" 2>&1 &
  pid[$i]=$!
}

wait_serving() { # bank index, seconds
  local i=$1 deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if bin/bank-admin health --target "127.0.0.1:$((base_port + i))" --timeout-seconds 2 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

stop_cluster() { # safe to call twice: the second call finds no process left
  for p in "${pid[@]:-}"; do
    [ -n "$p" ] || continue
    kill -CONT "$p" 2>/dev/null || true
    kill -TERM "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  pid=()
}

start_cluster() { # starts every bank and waits until each is SERVING, or exits 1 naming the one that is not
  for ((i = 0; i < banks; i++)); do start_node "$i"; done
  for ((i = 0; i < banks; i++)); do
    wait_serving "$i" 60 || { log "bank ${names[$i]} did not start; see $work/${names[$i]}.log"; exit 1; }
  done
  log "all $banks banks SERVING"
  [ "${NODE_METRICS:-on}" = off ] \
    || log "metrics on http://127.0.0.1:$metrics_port/metrics .. http://127.0.0.1:$((metrics_port + banks - 1))/metrics"
}
