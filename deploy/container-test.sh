#!/usr/bin/env bash
# `make container-test`: the image and the compose consortium, for real, end to end (not part of `make test`: it takes
# minutes and a few GB). It builds deploy/Dockerfile, starts deploy/docker-compose.yml unmodified, waits until the four
# banks are healthy, moves money across banks and audits the consortium with the CLI (bin/bank-admin) through the
# published ports; kills one bank's process (the restart policy brings it back) and `docker kill`s another (a manual
# stop to Docker: it stays down until `docker start`), and after each sees it healthy, taking part in new transfers,
# with its balances kept and the audit exact; runs a short load and every query of the Grafana dashboard against
# Prometheus; and tears everything down, also when interrupted. Any failed step exits 1 naming it.
# Where no Docker daemon answers (this project's build machines, which reach no container registry), run it as root:
# deploy/lib/docker-here.sh starts a private one and builds stand-ins for the base images. On a shared machine, hold
# the build lock: `flock /tmp/mvn.lock make container-test`.
#   usage: deploy/container-test.sh [--help]   env: KEEP=1 leaves it all running after a pass (down with
#          `docker-compose -p dbk-ctest -f deploy/docker-compose.yml down -v`), LOAD_SECONDS (default 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) echo "container-test: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
esac
# shellcheck source=lib/docker-here.sh
source deploy/lib/docker-here.sh

project=dbk-ctest
banks=(alpha beta gamma delta)
out=$(mktemp -d "${TMPDIR:-/tmp}/container-test.XXXXXX")
started=$(date +%s)
# Progress goes to the original stdout (fd 3): a trap may run inside a function whose output is redirected away.
exec 3>&1
say() { printf '[%4ss] %s\n' $(($(date +%s) - started)) "$*" >&3; }
die() { say "FAILED: $*"; exit 1; }
compose() { $DC -p "$project" -f deploy/docker-compose.yml "$@"; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "${KEEP:-0}" = 1 ] && [ $rc = 0 ]; then
    say "KEEP=1: left running (DOCKER_HOST=${DOCKER_HOST:-default}${IN_NET:+; ports inside: $IN_NET})"
    return
  fi
  if [ -n "${composed:-}" ]; then
    local t0 t1
    t0=$(date +%s%N)
    compose down -v --remove-orphans >"$out/down.log" 2>&1 || cat "$out/down.log" >&3
    t1=$(date +%s%N)
    say "docker-compose down -v: $(( (t1 - t0) / 1000000 )) ms"
  fi
  dh_down
  rm -rf "$out"
  exit $rc
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
# Secrets for the compose file's ${...:?} variables: made here, never printed.
BANK_ADMIN_TOKEN=$(secret) GRAFANA_ADMIN_PASSWORD=$(secret)
export BANK_ADMIN_TOKEN GRAFANA_ADMIN_PASSWORD

# ---- 1. a daemon, the base images, the image ----
dh_up || die "no Docker daemon"
say "$($D info --format 'docker {{.ServerVersion}}, {{.Driver}}, cgroup v{{.CgroupVersion}}')"
for image in $(sed -n 's/^FROM \([^ ]*\).*/\1/p' deploy/Dockerfile); do
  dh_image "$image" "$root" || die "base image $image"
done
say "base images: $(sed -n 's/^FROM \([^ ]*\).*/\1/p' deploy/Dockerfile | paste -sd' ')"
bank_image=$(sed -n 's/^ *image: \(distribank\/.*\)/\1/p' deploy/docker-compose.yml | head -1)
$D build -f deploy/Dockerfile -t "$bank_image" . >"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; die "docker build"; }
say "built $bank_image ($($D image inspect -f '{{.Size}}' "$bank_image" | awk '{printf "%d MB", $1/1e6}'))"

# The dashboards' services, where their images can be had; the banks do not need them.
services=(pki "${banks[@]}")
for svc in prometheus grafana; do
  image=$(compose config | awk -v s="  $svc:" '$0 == s {f=1; next} f && /^  [a-z]/ {f=0} f && $1 == "image:" {print $2}')
  if dh_can_run "$image" && dh_image "$image" "$root"; then
    services+=("$svc")
  else
    say "not starting $svc: no image $image here, no registry to pull it from, and no stand-in (Debian has no $svc)"
  fi
done

# ---- 2. the consortium ----
composed=1
compose up -d --no-build "${services[@]}" >"$out/up.log" 2>&1 || { cat "$out/up.log"; die "docker-compose up"; }
cid() { compose ps -q "$1"; }
health() { $D inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(cid "$1")"; }
wait_healthy() { # seconds bank...
  local deadline=$(($(date +%s) + $1)) b n
  shift
  while :; do
    n=0
    for b in "$@"; do [ "$(health "$b")" = healthy ] && n=$((n + 1)); done
    [ $n = $# ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 2
  done
}
wait_healthy 240 "${banks[@]}" || { compose ps; compose logs --tail 30; die "the banks did not all become healthy"; }
say "4/4 banks healthy"
compose ps

compose run --rm pki 'cat /pki/ca.pem' >"$out/ca.pem" 2>/dev/null || die "reading the CA from the pki volume"
port() { echo $((7001 + $1)); } # alpha 7001 .. delta 7004, as the compose file publishes them
cli() { # bank-index args...: the CLI on the host, at a published port
  local i=$1
  shift
  $IN_NET bin/bank-admin --ca-cert "$out/ca.pem" --target "127.0.0.1:$(port "$i")" "$@" 2>"$out/cli.err" ||
    { grep -v '^WARNING' "$out/cli.err" >&2; return 1; }
}

# ---- 3. money across banks, and an audit ----
pw=$(secret)
cli 0 customer create --name 'Ana Souza' --cpf 529.982.247-25 --login ana --password="$pw" >/dev/null
cli 1 customer create --name 'Bia Lima' --cpf 111.444.777-35 --login bia --password="$pw" >/dev/null
cli 2 customer create --name 'Caio Reis' --cpf 390.533.447-05 --login caio --password="$pw" >/dev/null
ana=$(cli 0 login --login ana --password="$pw")
bia=$(cli 1 login --login bia --password="$pw")
caio=$(cli 2 login --login caio --password="$pw")
opened() { sed -n 's/^opened \([a-z0-9-]*:[0-9]*\).*/\1/p'; }
a_acct=$(cli 0 --token "$ana" account open --kind individual | opened)
b_acct=$(cli 1 --token "$bia" account open --kind individual | opened)
c_acct=$(cli 2 --token "$caio" account open --kind individual | opened)
cli 0 --token "$ana" deposit --account "$a_acct" --amount 100.00 >/dev/null
cli 0 --token "$ana" transfer --leg "$a_acct,$b_acct,12.34" >"$out/transfer.txt" || die "cross-bank transfer"
say "transfer $a_acct -> $b_acct 12.34: $(head -1 "$out/transfer.txt")"
balance() { # bank-index token account: its balance in centavos
  cli "$1" --token "$2" --output json balance --account "$3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["balanceCents"])'
}
[ "$(balance 1 "$bia" "$b_acct")" = 1234 ] || die "$b_acct should hold 12.34"
audit() { # bank-index: the audit must pass and count exactly the money deposited
  cli "$1" --token "$BANK_ADMIN_TOKEN" audit >"$out/audit.txt" || { cat "$out/audit.txt"; die "audit at ${banks[$1]}"; }
  grep -E 'I1|I2|pairs' "$out/audit.txt" | sed 's/^/         /'
}
audit 3

# ---- 4. crashes. A bank's process killed (as by the OOM killer): the restart policy brings it back. `docker kill`:
# Docker counts it as a manual stop and applies no restart policy, so the operator's `docker start` brings it back.
# Either way the bank recovers from its store and catches up, and the others go on meanwhile.
crash_and_catch_up() { # bank-index how
  local i=$1 how=$2 id restarts other
  id=$(cid "${banks[$i]}")
  restarts=$($D inspect -f '{{.RestartCount}}' "$id")
  if [ "$how" = sigkill ]; then
    kill -KILL "$($D inspect -f '{{.State.Pid}}' "$id")"
    say "kill -KILL ${banks[$i]}'s java (PID 1 of its container)"
  else
    $D kill "$id" >/dev/null
    say "docker kill ${banks[$i]}"
  fi
  other=$([ "$i" = 2 ] && echo 1 || echo 2) # alpha pays a bank that is up: the consortium goes on
  cli 0 --token "$ana" transfer --leg "$a_acct,${accounts[$other]},1.00" >/dev/null ||
    die "alpha -> ${banks[$other]} while ${banks[$i]} is down"
  paid[$other]=$((paid[$other] + 100))
  if [ "$how" = docker-kill ]; then
    sleep 3
    [ "$($D inspect -f '{{.State.Status}} {{.RestartCount}}' "$id")" = "exited $restarts" ] ||
      die "after docker kill, ${banks[$i]} is $($D inspect -f '{{.State.Status}} {{.RestartCount}}' "$id")"
    ! cli 0 --token "$ana" --timeout-seconds 10 transfer --leg "$a_acct,${accounts[$i]},1.00" >/dev/null 2>&1 ||
      die "a transfer to ${banks[$i]} went through while it was down"
    say "${banks[$i]} stays down (exited, restarts $restarts), a transfer to it is refused" \
      "($(grep -o '[A-Z_]*UNAVAILABLE' "$out/cli.err" | head -1)): docker start"
    $D start "$id" >/dev/null
  fi
  wait_healthy 180 "${banks[$i]}" || { compose logs --tail 40 "${banks[$i]}"; die "${banks[$i]} did not come back"; }
  say "${banks[$i]} healthy again (restarts: $restarts -> $($D inspect -f '{{.RestartCount}}' "$id"))"
  # Caught up: it takes part in new transfers at once, its ledger holds what it held, and the books agree.
  cli 0 --token "$ana" transfer --leg "$a_acct,${accounts[$i]},1.00" >/dev/null || die "alpha -> ${banks[$i]} after its restart"
  paid[$i]=$((paid[$i] + 100))
  for b in 1 2; do
    [ "$(balance "$b" "${tokens[$b]}" "${accounts[$b]}")" = "${paid[$b]}" ] || die "${accounts[$b]} should hold ${paid[$b]} centavos"
  done
  audit "$i"
}
accounts=("$a_acct" "$b_acct" "$c_acct") tokens=("$ana" "$bia" "$caio") paid=(0 1234 0)
crash_and_catch_up 1 sigkill
crash_and_catch_up 2 docker-kill

# ---- 5. a little load, for the dashboards; then every dashboard query must parse and find its series ----
cli 0 load --admin-token "$BANK_ADMIN_TOKEN" --duration "${LOAD_SECONDS:-20}s" --clients 4 --accounts-per-bank 4 \
  --cross-bank-ratio 0.5 >"$out/load.txt" 2>&1 || { tail -20 "$out/load.txt"; die "load"; }
say "load: $(grep -m1 -i 'throughput\|committed' "$out/load.txt")"
if [[ " ${services[*]} " == *" prometheus "* ]]; then
  sleep 6
  # A node that knows --metrics-listen must be scraped and fill every panel; an older one only has its queries parsed.
  require=$($D run --rm "$bank_image" --help 2>&1 | grep -q -- --metrics-listen && echo --require-series || true)
  $IN_NET python3 deploy/lib/dashboard-queries.py http://127.0.0.1:9090 deploy/grafana/dashboards/distribank.json \
    $require || die "dashboard queries"
fi
say "container test passed"
