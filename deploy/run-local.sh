#!/usr/bin/env bash
# Starts one bank node, 'alpha', on 127.0.0.1:7001 with its data in ./data/alpha, in the foreground.
# The admin token is generated once into ./data/admin-token (never a default password).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p data
if [ ! -s data/admin-token ]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > data/admin-token)
  echo "run-local: wrote a new admin token to data/admin-token"
fi
export BANK_ADMIN_TOKEN="$(cat data/admin-token)"
echo "run-local: bank alpha on 127.0.0.1:7001 — try: bin/bank-admin health   (Ctrl-C stops it)"
exec bin/bank-node --bank alpha --listen 127.0.0.1:7001 --data-dir data/alpha
