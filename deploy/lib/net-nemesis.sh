# Sourced by deploy/chaos.sh with --net: the network's faults, each one time-bounded and healed before the next.
# Every fault is between banks (clients always reach every bank): a bank cut off from all the others, the consortium
# split in two halves, a one-way cut, random loss on one link, latency on links. Each is applied with
# deploy/lib/netns.sh, held for its time, then healed (net_heal), and logged in $work/faults as
# "KIND START END DETAIL" (epoch seconds) and, for the I7 check, in $work/outages as "START END WHAT".
# The caller sets work, banks, names[], log() and RANDOM's seed.

# Applies one network fault of KIND, holds it SECONDS, heals it, and records it.
net_fault() { # kind, seconds
  local kind=$1 seconds=$2 a b j k detail started percent ms
  a=$((RANDOM % banks))
  b=$(( (a + 1 + RANDOM % (banks - 1)) % banks )) # another bank (RANDOM in this shell, not a $(...) subshell)
  case "$kind" in
    isolate)
      for ((j = 0; j < banks; j++)); do [ "$j" -eq "$a" ] || net_cut_both "$a" "$j"; done
      detail="${names[$a]} cut off from the other banks" ;;
    halves)
      # A random half (rounded down) against the rest.
      local order=() side=()
      for ((j = 0; j < banks; j++)); do order+=("$j"); done
      for ((j = banks - 1; j > 0; j--)); do
        k=$((RANDOM % (j + 1))); local t=${order[$j]}; order[$j]=${order[$k]}; order[$k]=$t
      done
      for ((j = 0; j < banks; j++)); do side[${order[$j]}]=$((j < banks / 2 ? 0 : 1)); done
      local left="" right=""
      for ((j = 0; j < banks; j++)); do
        if [ "${side[$j]}" -eq 0 ]; then left+="${left:+,}${names[$j]}"; else right+="${right:+,}${names[$j]}"; fi
        for ((k = j + 1; k < banks; k++)); do
          [ "${side[$j]}" -eq "${side[$k]}" ] || net_cut_both "$j" "$k"
        done
      done
      detail="$left | $right" ;;
    oneway)
      net_drop "$a" "$b"
      detail="${names[$a]} -> ${names[$b]} dropped (${names[$b]} -> ${names[$a]} flows)" ;;
    loss)
      percent=$((10 + RANDOM % 21))
      net_drop "$a" "$b" "$percent"
      net_drop "$b" "$a" "$percent"
      detail="${percent}% each way ${names[$a]} <-> ${names[$b]}" ;;
    latency)
      ms=$((50 + RANDOM % 151))
      if [ $((RANDOM % 2)) -eq 0 ]; then # every link of one bank
        local others=()
        for ((j = 0; j < banks; j++)); do
          [ "$j" -eq "$a" ] && continue
          others+=("$j")
          net_delay "$j" "$ms" "$a"
        done
        net_delay "$a" "$ms" "${others[@]}"
        detail="${ms} ms each way on every link of ${names[$a]}"
      else
        net_delay "$a" "$ms" "$b"
        net_delay "$b" "$ms" "$a"
        detail="${ms} ms each way ${names[$a]} <-> ${names[$b]}"
      fi ;;
    *) log "net_fault: unknown kind $kind"; return 1 ;;
  esac
  started=$(now)
  log "network: $kind for ${seconds}s: $detail"
  pause "$seconds"
  net_heal
  log "network: healed"
  echo "$kind $started $(now) $detail" >>"$work/faults"
  echo "$started $(now) $kind: $detail" >>"$work/outages"
}
