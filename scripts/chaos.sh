#!/usr/bin/env bash
# ./wafleet chaos [--messages N] [--kills K] [--seed S]: ConnectorChaosIT at full size. N texts out
# through the outbox and N texts in from simulated phones (default 1000 each way) while connector
# processes are killed with kill -9 K times (default 4) at random moments drawn from seed S (default:
# a fresh one, printed). Checks that every message was stored or delivered exactly once; prints the
# figures, the last line JSON ({"result":"pass"|"fail",...}). Builds connector-service and what it
# needs with the reactor (never install). Takes about 20 minutes at 1000 on a loaded 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

usage() {
  echo "usage: ./wafleet chaos [--messages N] [--kills K] [--seed S]   (N 10-100000, default 1000; K 3-50, default 4)" >&2
  exit 2
}
messages=1000 kills=4 seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) [ $# -ge 2 ] || usage; messages=$2; shift 2 ;;
    --kills) [ $# -ge 2 ] || usage; kills=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "wafleet chaos: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$messages" =~ ^[0-9]+$ ]] && [ "$messages" -ge 10 ] && [ "$messages" -le 100000 ] \
  || { echo "wafleet chaos: --messages must be 10-100000" >&2; usage; }
[[ "$kills" =~ ^[0-9]+$ ]] && [ "$kills" -ge 3 ] && [ "$kills" -le 50 ] \
  || { echo "wafleet chaos: --kills must be 3-50" >&2; usage; }
[ -z "$seed" ] || [[ "$seed" =~ ^-?[0-9]+$ ]] || { echo "wafleet chaos: --seed must be a whole number" >&2; usage; }
[ -n "$seed" ] || seed=$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))

check_prerequisites
report="$ROOT/connector-service/target/surefire-reports/io.wafleet.connector.app.ConnectorChaosIT-output.txt"
rm -f "$report"
log "chaos: $messages messages each way, $kills kills, seed $seed (connector logs: connector-service/target/connector-processes/)"
start=$(date +%s)
mkdir -p "$ROOT/.wafleet"
build_log="$ROOT/.wafleet/chaos.log"
mapfile -t flags < <(mvn_flags)
log "building and running: mvn ${flags[*]} -pl connector-service -am verify -Dtest=ConnectorChaosIT ... (output in .wafleet/chaos.log)"
set +e
mvn "${flags[@]}" -pl connector-service -am verify -Dtest=ConnectorChaosIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dwafleet.chaos.messages="$messages" -Dwafleet.chaos.kills="$kills" -Dwafleet.chaos.seed="$seed" \
  >"$build_log" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || grep -E '^\[(ERROR|FATAL)\]' "$build_log" | head -25 >&2 || true
[ -f "$report" ] || die "the test left no output (see .wafleet/chaos.log)"
grep '^chaos' "$report" | grep -v '^chaos-result'
echo "chaos: wall seconds (build and test) = $(( $(date +%s) - start ))"
grep '^chaos-result ' "$report" | tail -n 1 | sed 's/^chaos-result //'
exit "$status"
