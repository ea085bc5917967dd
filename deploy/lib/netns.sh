# Sourced by deploy/chaos.sh and deploy/bench.sh (--net): the consortium on a network of its own, and that network's
# faults. Each bank runs in its own network namespace with its own address on one bridge, 10.99.S.0/24 (S from the
# run's pid); the load generators and every CLI call run in a client namespace on the same bridge (10.99.S.100).
# No namespace has a route out, so nothing leaves the machine, and the machine's own namespace is not touched.
#
# A fault is an iptables rule in the chain DBNET of the bank that RECEIVES, hooked from its INPUT: a cut drops what
# one bank receives from another (silently, as a cut cable does: the sender learns nothing and retransmits), loss
# drops a random share of it, and latency queues it (NFQUEUE) to deploy/lib/nfq_delay.py, which lets each packet go
# after the delay. (This kernel has no netem: "Error: Specified qdisc kind is unknown.") Only traffic between banks is
# touched: no rule names the client namespace's address.
#
# Everything is named dbnet-<pid of the run>-<role>. net_down removes all of it (namespaces take their veths,
# bridge and rules with them; helper processes are stopped first), and net_clean_leftovers removes what a run that
# was killed (kill -9: no trap runs) left behind: every dbnet-<pid>-* whose run is gone, and the processes in it.
# The caller sets banks, names[] and log(); call net_check first, then net_up.

net_id=$$
net_subnet="10.99.$((net_id % 250 + 1))"
net_prefix="dbnet-$net_id"
net_client_ns="$net_prefix-client"
net_client_addr="$net_subnet.100"
net_delayer="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/nfq_delay.py"
declare -a net_ns net_addr
declare -a net_helpers=() # pids of the delayers now running
declare -a net_queue_of     # the NFQUEUE a bank's delayer reads, while one runs
net_is_up=0

# Whether this machine can run the network: root, ip netns, iptables in a namespace. On no, net_why says why.
net_check() {
  net_why=""
  if [ "$(id -u)" -ne 0 ]; then net_why="needs root (ip netns add and iptables); running as uid $(id -u)"; return 1; fi
  local tool
  for tool in ip iptables python3; do
    command -v "$tool" >/dev/null || { net_why="'$tool' is not installed"; return 1; }
  done
  local probe="$net_prefix-probe" out
  if ! out=$(ip netns add "$probe" 2>&1); then net_why="ip netns add failed: $out"; return 1; fi
  if ! out=$(ip netns exec "$probe" iptables -w -N DBNET 2>&1); then
    ip netns del "$probe" 2>/dev/null || true
    net_why="iptables does not work in a network namespace: $out"; return 1
  fi
  ip netns del "$probe"
}

# Removes namespaces (and the processes in them) left by a run of chaos.sh or bench.sh that is no longer running.
net_clean_leftovers() {
  local ns owner cmdline removed=""
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E '^dbnet-[0-9]+-' || true); do
    owner=${ns#dbnet-}; owner=${owner%%-*}
    [ "$owner" = "$net_id" ] && continue
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$owner/cmdline" || true)
    [[ "$cmdline" =~ (chaos|bench)\.sh ]] && continue # that run is still going
    net_remove_ns "$ns" KILL
    removed+=" $ns"
  done
  [ -z "$removed" ] || log "removed what a killed earlier run left behind:$removed"
}

net_remove_ns() { # namespace, signal for what still runs in it
  local ns=$1 signal=$2 pids tries
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086 # a list of pids
    kill -CONT $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    kill -"$signal" $pids 2>/dev/null || true
    for tries in 1 2 3 4 5 6 7 8 9 10; do # up to 5 s to exit, then SIGKILL
      [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] || break
      sleep 0.5
    done
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
}

# The switch namespace with the bridge, one namespace per bank (net_ns[i] at net_addr[i]) and the client namespace.
net_up() {
  local sw="$net_prefix-switch" i
  net_is_up=1
  ip netns add "$sw"
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  for ((i = 0; i < banks; i++)); do
    net_ns[$i]="$net_prefix-${names[$i]}"
    net_addr[$i]="$net_subnet.$((i + 1))"
    net_attach "${net_ns[$i]}" "${net_addr[$i]}" "v-${names[$i]}"
    # The faults' chain: receiving side, every packet from another bank passes it.
    ip netns exec "${net_ns[$i]}" iptables -w -N DBNET
    ip netns exec "${net_ns[$i]}" iptables -w -A INPUT -j DBNET
  done
  net_attach "$net_client_ns" "$net_client_addr" v-client
  log "network: $banks bank namespaces and a client namespace on a bridge, $net_subnet.0/24" \
    "(banks .1-.$banks, clients .100), no route out"
}

net_attach() { # namespace, address, the switch's end of its veth
  local sw="$net_prefix-switch"
  ip netns add "$1"
  ip -n "$sw" link add "$3" type veth peer name eth0 netns "$1"
  ip -n "$sw" link set "$3" master br0 up
  ip -n "$1" link set lo up
  ip -n "$1" addr add "$2/24" dev eth0
  ip -n "$1" link set eth0 up
}

net_down() { # safe to call twice, and before net_up
  [ "$net_is_up" -eq 1 ] || return 0
  net_is_up=0
  net_stop_delayers
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^$net_prefix-" || true); do
    net_remove_ns "$ns" TERM
  done
}

in_bank() { local i=$1; shift; ip netns exec "${net_ns[$i]}" "$@"; }
in_client() { ip netns exec "$net_client_ns" "$@"; }

# --- faults: each takes bank indexes; the receiving bank's DBNET gets the rule ---

net_drop() { # from, to[, percent]: drop what `to` receives from `from` (all of it, or a random share)
  local from=$1 to=$2 percent=${3:-100} match=()
  if [ "$percent" -lt 100 ]; then
    match=(-m statistic --mode random --probability "$(awk -v p="$percent" 'BEGIN { printf "%.2f", p / 100 }')")
  fi
  # Drops first: a packet that NFQUEUE has taken no longer passes the rest of the chain.
  in_bank "$to" iptables -w -I DBNET -s "${net_addr[$from]}" "${match[@]}" -j DROP
}

net_cut_both() { net_drop "$1" "$2"; net_drop "$2" "$1"; }

net_delay() { # to, milliseconds, from...: hold what `to` receives from each `from` for that long
  local to=$1 ms=$2 from queue=1
  shift 2
  [ -n "${net_queue_of[$to]:-}" ] || net_start_delayer "$to" "$queue" "$ms"
  for from in "$@"; do
    in_bank "$to" iptables -w -A DBNET -s "${net_addr[$from]}" -j NFQUEUE --queue-num "$queue" --queue-bypass
  done
}

net_start_delayer() { # bank, queue, milliseconds; returns when the delayer is bound (or says it is not)
  local i=$1 queue=$2 ms=$3 log_file="$work/nfq-delay-${names[$1]}.log" tries
  ip netns exec "${net_ns[$i]}" python3 "$net_delayer" "$queue" "$ms" >"$log_file" 2>&1 & # its pid: no subshell
  net_helpers+=($!)
  net_queue_of[$i]=$queue
  for tries in $(seq 1 50); do
    grep -q "queue $queue, $ms ms" "$log_file" 2>/dev/null && return 0
    kill -0 "${net_helpers[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  log "the delayer in ${names[$i]}'s namespace did not start: $(tail -1 "$log_file" 2>/dev/null)"
  return 1
}

net_stop_delayers() {
  local p
  for p in "${net_helpers[@]:-}"; do [ -z "$p" ] || kill -TERM "$p" 2>/dev/null || true; done
  for p in "${net_helpers[@]:-}"; do [ -z "$p" ] || wait "$p" 2>/dev/null || true; done
  net_helpers=()
  net_queue_of=()
}

net_connect_ms() { # from, to, port: the median of 5 TCP connects from one bank to another (a round trip), in ms
  in_bank "$1" python3 -c 'import socket, statistics, sys, time
times = []
for _ in range(5):
    t = time.monotonic()
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5).close()
    times.append((time.monotonic() - t) * 1000)
print(f"{statistics.median(times):.1f}")' "${net_addr[$2]}" "$3" 2>/dev/null || echo "?"
}

net_delayers_cpu() { # CPU seconds the running delayers have used so far
  local p
  for p in "${net_helpers[@]:-}"; do
    [ -z "$p" ] || awk -v tck="$(getconf CLK_TCK)" '{ print ($14 + $15) / tck }' "/proc/$p/stat" 2>/dev/null
  done | awk '{ s += $1 } END { printf "%.1f", s }'
}

# Removes every fault: the rules first (nothing new is queued), then the delayers (they let go of what they hold).
net_heal() {
  local i
  for ((i = 0; i < banks; i++)); do in_bank "$i" iptables -w -F DBNET; done
  net_stop_delayers
}
