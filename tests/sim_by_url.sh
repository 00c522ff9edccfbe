#!/usr/bin/env bash
# carebroker-sim against a server given by URL (--server): starts a carebroker running a
# simulation on a new store, runs the short scenario against it with --check (any lost offer or
# any difference between what the sim saw and what the server reports fails), and checks that a
# second run on the same server is refused (its clock was frozen at the first run's end).
# usage: sim_by_url.sh CAREBROKER CAREBROKER_SIM SCENARIO WORK_DIR
set -euo pipefail
server=$1 sim=$2 scenario=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
"$server" --data "$work/store" --port 0 --sim-clock-speed 20000 --unsafe-no-sync --web '' \
  --max-connections 1000 --max-connections-per-address 1000 --ws-rate 100000 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.log" | head -1)
token=$(awk '$1 == "admin" { print $2 }' "$work/server.log")
[ -n "$url" ] && [ -n "$token" ] || { echo "the server did not start:"; sed -E "s/[0-9a-f]{64}/<token>/g" "$work/server.log"; exit 1; }  # never a token in a log
CAREBROKER_ADMIN_TOKEN=$token "$sim" "$scenario" --server "$url" --server-pid "$pid" --check --no-plots --quiet \
  --out "$work/results"
if CAREBROKER_ADMIN_TOKEN=$token "$sim" "$scenario" --server "$url" --no-plots --quiet --out "$work/again" 2>"$work/again.err"; then
  echo "a second run on the same server was not refused"
  exit 1
fi
grep -q "frozen" "$work/again.err" || { echo "the second run was refused for another reason:"; cat "$work/again.err"; exit 1; }
echo "ok: the run by URL is consistent, and a second run on its frozen server is refused"
