#!/usr/bin/env bash
# ./wafleet bench mttr --accounts N [--rounds K]: time to recover after a connector dies.
# Run by ./wafleet up (WAFLEET_UP_RUN, the stack started without its own connector): this script
# runs connector processes itself (java -jar connector-service.jar with the stack's environment and
# production lease settings unless WAFLEET_LEASE_* are set; the class-data-sharing archive the
# container image uses; more JVM options in WAFLEET_BENCH_JAVA_OPTS),
# seeds N paired accounts (SeedAccounts, below), starts one connector and times its first start to
# all CONNECTED, waits WAFLEET_BENCH_SETTLE_SECONDS (70) and takes the resource figures, then:
#  (a) restart, K times: kill -9 the connector, start a new one at once under the same instance id;
#      time from the new process's start until every account is CONNECTED on it again;
#  (b) failover, K times: a second instance is running (it holds nothing: every account has a live
#      owner); kill -9 the owner; time from the kill until every account is CONNECTED on the survivor.
# Then, with all N connected on one process: RSS and threads from /proc/<pid>/status, heap in use
# from the instance's liveness beat (GET /v1/health, connectors[].memoryBytes), per connected account.
# Last line: mttr accounts=N restart_p95_s=X restart_max_s=Y failover_max_s=Z rss_mb_per_account=W
#   threads_per_account=T heap_kb_per_account_after_gc=H first_start_s=F
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

usage() {
  echo "usage: ./wafleet bench mttr --accounts N [--rounds K]   (N 1-5000; K 1-20, default 3)" >&2
  exit 2
}
check_only=0 accounts="" rounds=3 seed_parallel="${WAFLEET_BENCH_SEED_PARALLEL:-16}"
seed_pre_keys="${WAFLEET_BENCH_SEED_PRE_KEYS:-812}" settle_s="${WAFLEET_BENCH_SETTLE_SECONDS:-70}"
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
# As the container image starts it: with the class-data-sharing archive (connector-service/Dockerfile).
CDS_OPTION=$(connector_cds_option "$JAR")
api() { curl -sf --max-time 30 -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "$@"; }
say() { printf '[mttr] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b - a) / 1e9}'; }

PIDS=()
cleanup() { local p; for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_connector NAME [ID]: starts one connector process on a free port, under instance id ID (a
# fresh one when omitted); prints "pid port". It runs in a subshell (read < <(...)), so the caller
# records the pid in PIDS: a connector left running after the bench (the last failover's survivor
# once was) would find the next run's emulator on the same port and claim its accounts.
start_connector() {
  local name=$1 id=${2:-bench-$1-$(date +%s%N | tail -c 7)} port pid
  port=$(free_port)
  WAFLEET_SESSION_KEYS="$(local_session_keys)" WAFLEET_WA_ENDPOINT="$WAFLEET_WA_ENDPOINT" PORT="$port" \
    WAFLEET_INSTANCE_ID="$id" \
    java $CDS_OPTION ${WAFLEET_BENCH_JAVA_OPTS:-} -jar "$JAR" >>"$RUN_DIR/bench-connector-$name.log" 2>&1 &
  pid=$!
  echo "$pid $port"
}

# await_all_on PORT SINCE_EPOCH_NS LIMIT_S [PID]: until the connector on PORT reports every account
# CONNECTED in /status with that status written to Firestore ("written": no status write under way
# or failed; read from its memory: no Firestore read per poll); true on success.
await_all_on() {
  local port=$1 limit=$3 pid=${4:-} start
  start=$(date +%s)
  while [ $(( $(date +%s) - start )) -lt "$limit" ]; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      say "connector pid $pid died (its log: $RUN_DIR/bench-connector-*.log)"
      return 1
    fi
    if curl -s --max-time 5 "http://127.0.0.1:$port/status" 2>/dev/null \
      | jq -e --argjson n "$accounts" '[.accounts[] | select(.status == "CONNECTED" and .written)] | length == $n' >/dev/null 2>&1; then
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

# Seeding (bench only, connector-service's test classes): every account is created, paired by its
# simulated phone and stored in Firestore exactly as the connector stores a pairing (its own
# FirestoreAuthState over SessionStore), many at a time, then released so the connector claims it.
# Pairing 1,000 accounts one by one through the connector's QR flow would take hours on this machine.
ids_file="$RUN_DIR/bench-accounts.txt"
: > "$ids_file"
SEED_CP="$ROOT/connector-service/target/test-classes:$ROOT/connector-service/target/classes"
[ -f "$ROOT/connector-service/target/bench.classpath" ] \
  || die "no connector-service/target/bench.classpath (./wafleet bench mttr builds it; run without WAFLEET_SKIP_BUILD)"
SEED_CP="$SEED_CP:$(cat "$ROOT/connector-service/target/bench.classpath")"
say "seeding $accounts paired account(s): $seed_parallel pairings at a time, $seed_pre_keys pre-keys each (log: $RUN_DIR/bench-seed.log)"
seed_line=$(WAFLEET_SESSION_KEYS="$(local_session_keys)" WAFLEET_WA_ENDPOINT="$WAFLEET_WA_ENDPOINT" \
  WAFLEET_SIMULATOR_ADMIN_URL="$WAFLEET_SIMULATOR_ADMIN_URL" WAFLEET_LOG_LEVEL=WARN \
  java -cp "$SEED_CP" io.wafleet.connector.bench.SeedAccounts --accounts "$accounts" --ids "$ids_file" \
  --parallel "$seed_parallel" --pre-keys "$seed_pre_keys" 2>"$RUN_DIR/bench-seed.log" | tail -n 1) \
  || die "seeding failed ($seed_line); see $RUN_DIR/bench-seed.log"
say "$seed_line"

first_started=$(now_ns)
# The restarted connector keeps one stable instance id, as ./wafleet up's restart loop does: the new
# process finds the killed one's host lock free and takes the accounts back at once.
A_ID="bench-a-$(date +%s%N | tail -c 7)"
read -r A_PID A_PORT < <(start_connector a "$A_ID")
PIDS+=("$A_PID")
say "connector pid $A_PID on port $A_PORT; waiting until it has restored and connected all $accounts"
await_all_on "$A_PORT" 0 900 "$A_PID" || die "not every account is CONNECTED on the first connector; see $RUN_DIR/bench-connector-a.log"
first_s=$(secs "$first_started" "$(now_ns)")
say "first start: every account CONNECTED $first_s s after the process started (no previous owner: nothing to wait for)"
# The figures are taken once the burst of logins is over: okhttp's task-runner threads started for
# the handshakes end after 60 s idle (docs/benchmarks.md, bench clients).
say "settling $settle_s s before taking the resource figures"
sleep "$settle_s"

# Resources with all N connected on one process.
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$A_PID/status")
threads=$(awk '/^Threads:/ {print $2}' "/proc/$A_PID/status")
heap=$(api "$WAFLEET_API_URL/v1/health" | jq '[.connectors[] | select(.live) | .memoryBytes] | max // 0')
# Threads by name (digits folded: "wa-worker-3" counts as "wa-worker-#"), the largest groups first.
threads_by_name=$(cat /proc/"$A_PID"/task/*/comm 2>/dev/null | sed 's/[0-9][0-9]*/#/g' | sort | uniq -c | sort -rn \
  | head -12 | awk '{n=$1; $1=""; sub(/^ /, ""); printf "%s%s=%d", (NR>1 ? ", " : ""), $0, n}')
# Heap in use after a full GC (jcmd; what the accounts keep, not what awaits collection).
heap_gc_kb=0
if command -v jcmd >/dev/null 2>&1; then
  jcmd "$A_PID" GC.run >/dev/null 2>&1 || true
  # What fills the heap, for finding per-account costs: the 40 largest classes after that GC.
  jcmd "$A_PID" GC.class_histogram 2>/dev/null | head -n 43 > "$RUN_DIR/bench-mttr-histogram.txt" || true
  heap_gc_kb=$(jcmd "$A_PID" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9][0-9]*\)K.*/\1/p' | head -1)
  heap_gc_kb=${heap_gc_kb:-0}
fi
rss_after_gc_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$A_PID/status")
# Said at once too: a later phase that fails must not lose them.
say "resources with $accounts connected: RSS $((rss_kb / 1024)) MB, threads $threads, heap after a full GC $((heap_gc_kb / 1024)) MB (RSS then $((rss_after_gc_kb / 1024)) MB); threads by name: $threads_by_name"

restarts=()
for r in $(seq 1 "$rounds"); do
  kill -9 "$A_PID"
  wait "$A_PID" 2>/dev/null || true
  started=$(now_ns)
  read -r A_PID A_PORT < <(start_connector a "$A_ID")
  PIDS+=("$A_PID")
  if await_all_on "$A_PORT" "$started" 600 "$A_PID"; then
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
  PIDS+=("$S_PID")
  until [ "$(curl -s --max-time 5 "http://127.0.0.1:$S_PORT/readyz" 2>/dev/null)" = '{"ready":true}' ]; do
    kill -0 "$S_PID" 2>/dev/null || die "the second connector died; see $RUN_DIR/bench-connector-b.log"
    sleep 0.2
  done
  kill -9 "$HOLDER_PID"
  wait "$HOLDER_PID" 2>/dev/null || true
  killed=$(now_ns)
  if await_all_on "$S_PORT" "$killed" 600 "$S_PID"; then
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
echo "first start (no previous owner): every account CONNECTED $first_s s after the process started"
echo "threads by name: $threads_by_name"
echo "heap in use after a full GC: $((heap_gc_kb / 1024)) MB ($(awk -v h="$heap_gc_kb" -v n="$accounts" 'BEGIN {printf "%.1f", h / n}') KB per account); RSS after that GC $((rss_after_gc_kb / 1024)) MB; JVM options: ${CDS_OPTION:-(no class-data-sharing archive)} ${WAFLEET_BENCH_JAVA_OPTS:-}"
echo "with $accounts connected on one process: RSS $((rss_kb / 1024)) MB ($rss_mb_per MB per account), heap in use $((heap / 1048576)) MB ($(awk -v h="$heap" -v n="$accounts" 'BEGIN {printf "%.0f", h / 1024 / n}') KB per account, from the liveness beat), threads $threads ($(awk -v t="$threads" -v n="$accounts" 'BEGIN {printf "%.2f", t / n}') per account)"
echo "mttr accounts=$accounts restart_p95_s=$(printf '%s\n' "${restarts[@]}" | percentile 95) restart_max_s=$(printf '%s\n' "${restarts[@]}" | percentile 100) failover_max_s=$(printf '%s\n' "${failovers[@]}" | percentile 100) rss_mb_per_account=$rss_mb_per threads_per_account=$(awk -v t="$threads" -v n="$accounts" 'BEGIN {printf "%.3f", t / n}') heap_kb_per_account_after_gc=$(awk -v h="$heap_gc_kb" -v n="$accounts" 'BEGIN {printf "%.1f", h / n}') first_start_s=$first_s"
