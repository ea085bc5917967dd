# Sourced by deploy/chaos.sh and deploy/bench.sh: N real bank-node processes, each with its own data directory under
# $work, mutual TLS between them from a CA made for the run. On loopback by default; with net=1 (after
# deploy/lib/netns.sh's net_up) each bank listens on its own namespace's address, and health checks come from the
# client namespace. The caller sets work, banks and log(), then calls cluster_init; this file sets names, base_port,
# peer_port, metrics_port, admin_token, targets, pid[] and the functions below.
# NODE_EXTRA_JAVA_OPTS, when set, is added to every node's JVM options (e.g. a flight recording while profiling).
# Every bank serves its metrics on http://<its address>:<metrics_port + i>/metrics; NODE_METRICS=off starts them
# without (to measure what the metrics cost).
names=(alpha beta gamma delta epsilon zeta eta theta)
base_port=$((17100 + RANDOM % 800))
peer_port=$((base_port + 1000)) # the banks' mutual-TLS peer ports
metrics_port=$((base_port + 1500)) # the banks' plaintext /metrics ports
admin_token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export BANK_ADMIN_TOKEN="$admin_token"
net=${net:-0}
bank_host() { if [ "$net" -eq 1 ]; then echo "${net_addr[$1]}"; else echo 127.0.0.1; fi; }
# What runs a command in the clients' network: put before a command, not wrapped in a function, so that a process
# started with & is the command itself (its pid is the one to signal), not a subshell around it.
client_exec=()

# pki directory[, data directory (default $work)]: the banks' addresses (loopback, or with net=1 the namespaces'), a
# CA for them, and where their data and logs go.
cluster_init() {
  local i pki_hosts=()
  cluster_dir=${2:-$work}
  peers="" targets=""
  for ((i = 0; i < banks; i++)); do
    peers+="${peers:+,}${names[$i]}=$(bank_host "$i"):$((peer_port + i))"
    targets+="${targets:+,}${names[$i]}=$(bank_host "$i"):$((base_port + i))"
    # A bank's certificate names the address it is dialled at (every one already names 127.0.0.1).
    [ "$net" -eq 0 ] || pki_hosts+=(--host "${names[$i]}=$(bank_host "$i")")
  done
  export BANK_PEERS="$peers"
  [ "$net" -eq 0 ] || client_exec=(ip netns exec "$net_client_ns")
  # Every bank proves who it is with a certificate from a CA made for this run; clients trust that CA.
  bin/bank-admin pki init --banks "$(IFS=,; echo "${names[*]:0:$banks}")" "${pki_hosts[@]}" --out "$1" >/dev/null
  export BANK_PKI_DIR="$1" BANK_CA_CERT="$1/ca.pem"
}
declare -a pid

start_node() { # bank index
  local i=$1 bank=${names[$1]} in_ns=()
  [ "$net" -eq 0 ] || in_ns=(ip netns exec "${net_ns[$i]}")
  local metrics="$(bank_host "$i"):$((metrics_port + i))"
  [ "${NODE_METRICS:-on}" != off ] || metrics=""
  # ip netns exec and bin/bank-node both exec: the pid is the node's JVM, which kill -9 and SIGSTOP must reach.
  BANK_ID="$bank" BANK_LISTEN="$(bank_host "$i"):$((base_port + i))" BANK_DATA_DIR="$cluster_dir/$bank" \
    BANK_METRICS_LISTEN="$metrics" BANK_NODE_JAVA_OPTS="-Xmx512m ${NODE_EXTRA_JAVA_OPTS:-}" "${in_ns[@]}" \
    bin/bank-node >>"$cluster_dir/$bank.log" 2>&1 &
  pid[$i]=$!
}

wait_serving() { # bank index, seconds
  local i=$1 deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if "${client_exec[@]}" bin/bank-admin health --target "$(bank_host "$i"):$((base_port + i))" --timeout-seconds 2 \
        >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

node_pid_ok() { # bank index: whether pid[i] is the node's JVM itself (signals sent to a wrapper would miss it)
  [[ "$(readlink "/proc/${pid[$1]}/exe" 2>/dev/null)" == */java ]] \
    || { log "bank ${names[$1]}: pid ${pid[$1]} is not its JVM"; return 1; }
}

stop_cluster() { # safe to call twice: the second call finds no process left
  local p
  for p in "${pid[@]:-}"; do
    [ -n "$p" ] || continue
    kill -CONT "$p" 2>/dev/null || true
    kill -TERM "$p" 2>/dev/null || true
  done
  # Only the nodes: a load generator or a delayer may still be running, and is its caller's to stop.
  for p in "${pid[@]:-}"; do [ -z "$p" ] || wait "$p" 2>/dev/null || true; done
  pid=()
}

start_cluster() { # starts every bank and waits until each is SERVING, or exits 1 naming the one that is not
  for ((i = 0; i < banks; i++)); do start_node "$i"; done
  for ((i = 0; i < banks; i++)); do
    wait_serving "$i" 60 || { log "bank ${names[$i]} did not start; see $cluster_dir/${names[$i]}.log"; exit 1; }
    node_pid_ok "$i" || exit 1
  done
  log "all $banks banks SERVING"
  [ "${NODE_METRICS:-on}" = off ] \
    || log "metrics on http://$(bank_host 0):$metrics_port/metrics .. http://$(bank_host $((banks - 1))):$((metrics_port + banks - 1))/metrics"
}
