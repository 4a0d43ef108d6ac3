#!/usr/bin/env bash
# ./wafleet bench mttr --accounts N [--rounds K]: time to recover after a connector dies.
# Run by ./wafleet up (WAFLEET_UP_RUN, the stack started without its own connector): this script
# runs connector processes itself (java -jar connector-service.jar with the stack's environment and
# production lease settings unless WAFLEET_LEASE_* are set), creates N accounts through the API and
# pairs each with a simulated phone, then:
#  (a) restart, K times: kill -9 the connector, start a new one at once under the same instance id;
#      time from the new process's start until every account is CONNECTED on it again;
#  (b) failover, K times: a second instance is running (it holds nothing: every account has a live
#      owner); kill -9 the owner; time from the kill until every account is CONNECTED on the survivor.
# Then, with all N connected on one process: RSS and threads from /proc/<pid>/status, heap in use
# from the instance's liveness beat (GET /v1/health, connectors[].memoryBytes), per connected account.
# Last line: mttr accounts=N restart_p95_s=X restart_max_s=Y failover_max_s=Z rss_mb_per_account=W
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

usage() {
  echo "usage: ./wafleet bench mttr --accounts N [--rounds K]   (N 1-5000; K 1-20, default 3)" >&2
  exit 2
}
check_only=0 accounts="" rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=1; shift ;;
    --accounts) [ $# -ge 2 ] || usage; accounts=$2; shift 2 ;;
    --rounds) [ $# -ge 2 ] || usage; rounds=$2; shift 2 ;;
    *) echo "wafleet bench mttr: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$accounts" =~ ^[0-9]+$ ]] && [ "$accounts" -ge 1 ] && [ "$accounts" -le 5000 ] || usage
[[ "$rounds" =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] && [ "$rounds" -le 20 ] || usage
[ "$check_only" = 1 ] && exit 0

require_tool jq "install jq (apt-get install jq)"
load_stack_env
RUN_DIR="$ROOT/.wafleet/run"
JAR="$ROOT/connector-service/target/connector-service.jar"
[ -f "$JAR" ] || die "no $JAR (build: mvn -pl connector-service -am package)"
api() { curl -sf --max-time 30 -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "$@"; }
say() { printf '[mttr] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b - a) / 1e9}'; }

PIDS=()
cleanup() { local p; for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_connector NAME [ID]: starts one connector process on a free port, under instance id ID (a
# fresh one when omitted); prints "pid port".
start_connector() {
  local name=$1 id=${2:-bench-$1-$(date +%s%N | tail -c 7)} port pid
  port=$(free_port)
  WAFLEET_SESSION_KEYS="$(local_session_keys)" WAFLEET_WA_ENDPOINT="$WAFLEET_WA_ENDPOINT" PORT="$port" \
    WAFLEET_INSTANCE_ID="$id" \
    java -jar "$JAR" >>"$RUN_DIR/bench-connector-$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  echo "$pid $port"
}

# await_all_on PORT SINCE_EPOCH_NS LIMIT_S: until the connector on PORT reports every account
# CONNECTED in /status (its own view, read from memory: no Firestore read per poll); true on success.
await_all_on() {
  local port=$1 limit=$3 start
  start=$(date +%s)
  while [ $(( $(date +%s) - start )) -lt "$limit" ]; do
    if curl -s --max-time 5 "http://127.0.0.1:$port/status" 2>/dev/null \
      | jq -e --argjson n "$accounts" '[.accounts[] | select(.status == "CONNECTED")] | length == $n' >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

percentile() { # P, numbers on stdin: nearest rank
  sort -n | awk -v p="$1" '{v[NR]=$1} END {if (NR == 0) {print "n/a"; exit} r=int((p/100)*NR + 0.999999); if (r<1) r=1; print v[r]}'
}
summary() { # label, numbers...
  local label=$1; shift
  printf '%s\n' "$@" | awk -v l="$label" '{v[NR]=$1} END {printf "%s over %d run(s):", l, NR}'
  echo " p50 $(printf '%s\n' "$@" | percentile 50) s, p95 $(printf '%s\n' "$@" | percentile 95) s, max $(printf '%s\n' "$@" | percentile 100) s ($*)"
}

# The restarted connector keeps one stable instance id, as ./wafleet up's restart loop does: the new
# process finds the killed one's host lock free and takes the accounts back at once.
A_ID="bench-a-$(date +%s%N | tail -c 7)"
read -r A_PID A_PORT < <(start_connector a "$A_ID")
say "connector pid $A_PID on port $A_PORT; creating $accounts account(s) and pairing them (4 phones at a time)"
ids_file="$RUN_DIR/bench-accounts.txt"
: > "$ids_file"
for i in $(seq 1 "$accounts"); do
  phone=$(printf '+4076%07d' "$i")
  api -X POST -H 'Content-Type: application/json' -d "{\"name\":\"bench $i\",\"phone\":\"$phone\"}" \
    "$WAFLEET_API_URL/v1/accounts" | jq -r .id >> "$ids_file"
done
pair_start=$(now_ns)
xargs -P 4 -n 1 env WAFLEET_PHONE_WAIT_SECONDS=600 "$ROOT/scripts/phone.sh" scan < "$ids_file" 2>"$RUN_DIR/bench-pairing.log" \
  || die "pairing failed; see $RUN_DIR/bench-pairing.log and $RUN_DIR/bench-connector-a.log"
await_all_on "$A_PORT" 0 600 || die "not every account is CONNECTED on the first connector"
say "$accounts account(s) paired and CONNECTED in $(secs "$pair_start" "$(now_ns)") s"

# Resources with all N connected on one process.
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$A_PID/status")
threads=$(awk '/^Threads:/ {print $2}' "/proc/$A_PID/status")
heap=$(api "$WAFLEET_API_URL/v1/health" | jq '[.connectors[] | select(.live) | .memoryBytes] | max // 0')

restarts=()
for r in $(seq 1 "$rounds"); do
  kill -9 "$A_PID"
  wait "$A_PID" 2>/dev/null || true
  started=$(now_ns)
  read -r A_PID A_PORT < <(start_connector a "$A_ID")
  if await_all_on "$A_PORT" "$started" 600; then
    restarts+=("$(secs "$started" "$(now_ns)")")
    say "restart $r: every account CONNECTED ${restarts[-1]} s after the new process started"
  else
    die "restart $r: not every account CONNECTED within 600 s; see $RUN_DIR/bench-connector-a.log"
  fi
done

failovers=()
HOLDER_PID=$A_PID HOLDER_PORT=$A_PORT
for r in $(seq 1 "$rounds"); do
  read -r S_PID S_PORT < <(start_connector b)
  until [ "$(curl -s --max-time 5 "http://127.0.0.1:$S_PORT/readyz" 2>/dev/null)" = '{"ready":true}' ]; do
    kill -0 "$S_PID" 2>/dev/null || die "the second connector died; see $RUN_DIR/bench-connector-b.log"
    sleep 0.2
  done
  kill -9 "$HOLDER_PID"
  wait "$HOLDER_PID" 2>/dev/null || true
  killed=$(now_ns)
  if await_all_on "$S_PORT" "$killed" 600; then
    failovers+=("$(secs "$killed" "$(now_ns)")")
    say "failover $r: every account CONNECTED on the survivor ${failovers[-1]} s after the kill"
  else
    die "failover $r: not every account CONNECTED on the survivor within 600 s; see $RUN_DIR/bench-connector-b.log"
  fi
  HOLDER_PID=$S_PID HOLDER_PORT=$S_PORT
done

ttl="${WAFLEET_LEASE_TTL_SECONDS:-30}" skew="${WAFLEET_LEASE_SKEW_SECONDS:-5}"
echo
echo "mttr: $accounts account(s), lease ${ttl} s + skew ${skew} s (a peer claims a dead instance's accounts only after both; a restart under the same id takes them back at once); $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
summary "restart (kill -9, new process under the same id; from its start to all CONNECTED)" "${restarts[@]}"
summary "failover (kill -9 of the owner; from the kill to all CONNECTED on the other instance)" "${failovers[@]}"
rss_mb_per=$(awk -v k="$rss_kb" -v n="$accounts" 'BEGIN {printf "%.2f", k / 1024 / n}')
echo "with $accounts connected on one process: RSS $((rss_kb / 1024)) MB ($rss_mb_per MB per account), heap in use $((heap / 1048576)) MB ($(awk -v h="$heap" -v n="$accounts" 'BEGIN {printf "%.0f", h / 1024 / n}') KB per account, from the liveness beat), threads $threads ($(awk -v t="$threads" -v n="$accounts" 'BEGIN {printf "%.2f", t / n}') per account)"
echo "mttr accounts=$accounts restart_p95_s=$(printf '%s\n' "${restarts[@]}" | percentile 95) restart_max_s=$(printf '%s\n' "${restarts[@]}" | percentile 100) failover_max_s=$(printf '%s\n' "${failovers[@]}" | percentile 100) rss_mb_per_account=$rss_mb_per"
