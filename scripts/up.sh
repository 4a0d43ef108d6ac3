#!/usr/bin/env bash
# ./wafleet up (and demo): the local stack in the foreground. Ctrl-C stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

RUN_DIR="$ROOT/.wafleet/run"
mkdir -p "$RUN_DIR"
PIDS=()

stop_all() {
  trap - INT TERM EXIT
  log "stopping ${#PIDS[@]} process group(s)"
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  log "stopped"
}
trap stop_all INT TERM EXIT

# start NAME LOGFILE COMMAND...: runs COMMAND in its own process group so Ctrl-C can stop all of it.
start() {
  local name=$1 logfile=$2; shift 2
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  PIDS+=("$!")
  log "$name started (pid $!, log $logfile)"
}

check_prerequisites
if [ "${WAFLEET_SKIP_BUILD:-}" != "1" ]; then
  mapfile -t flags < <(mvn_flags)
  log "building (mvn -DskipTests install); set WAFLEET_SKIP_BUILD=1 to skip"
  mvn "${flags[@]}" -q -DskipTests install
fi

FIRESTORE_PORT="${WAFLEET_FIRESTORE_PORT:-8081}"
API_PORT="${WAFLEET_API_PORT:-8080}"
export GOOGLE_CLOUD_PROJECT="${GOOGLE_CLOUD_PROJECT:-demo-wafleet}"
export FIRESTORE_EMULATOR_HOST="127.0.0.1:$FIRESTORE_PORT"
if [ -z "${WAFLEET_ADMIN_TOKEN:-}" ]; then
  WAFLEET_ADMIN_TOKEN=$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | cut -c1-40)
  GENERATED_TOKEN=1
fi
export WAFLEET_ADMIN_TOKEN

start "firestore emulator" "$RUN_DIR/firestore.log" \
  java -Duser.language=en -cp "$(emulator_jar)" com.google.cloud.datastore.emulator.firestore.CloudFirestore \
  start --host=127.0.0.1 --port="$FIRESTORE_PORT"
wait_http "http://127.0.0.1:$FIRESTORE_PORT/" 60 "the Firestore emulator" "${PIDS[-1]}"

INVOKER="$ROOT/functions/target/invoker/java-function-invoker-2.0.0.jar"
if [ -f "$INVOKER" ] && [ -f "$ROOT/functions/target/functions.jar" ]; then
  start "functions api" "$RUN_DIR/functions.log" \
    java -jar "$INVOKER" --classpath "$ROOT/functions/target/functions.jar:$ROOT/functions/target/dependency/*" \
    --target io.wafleet.functions.api.ApiFunction --port "$API_PORT"
  wait_http "http://127.0.0.1:$API_PORT/v1/health" 60 "the functions API" "${PIDS[-1]}"
  API_LINE="functions API      http://127.0.0.1:$API_PORT/v1/health   (dashboard: /v1/dashboard.html)"
  MONITOR_PORT="${WAFLEET_MONITOR_PORT:-8082}"
  start "functions monitor" "$RUN_DIR/monitor.log" \
    java -jar "$INVOKER" --classpath "$ROOT/functions/target/functions.jar:$ROOT/functions/target/dependency/*" \
    --target io.wafleet.functions.monitor.MonitorFunction --port "$MONITOR_PORT"
  wait_http "http://127.0.0.1:$MONITOR_PORT/jobs/heartbeat" 60 "the monitor function" "${PIDS[-1]}"
  # Cloud Scheduler's local stand-in fires scheduler/jobs.yaml at the monitor function every minute.
  start "local scheduler" "$RUN_DIR/scheduler.log" \
    java -cp "$ROOT/functions/target/functions.jar:$ROOT/functions/target/dependency/*" \
    io.wafleet.functions.schedule.LocalScheduler "$ROOT/scheduler/jobs.yaml" "wafleet-monitor=http://127.0.0.1:$MONITOR_PORT"
  API_LINE="$API_LINE
  monitor function   http://127.0.0.1:$MONITOR_PORT/jobs/{name}   (fired every minute by the local scheduler: scheduler/jobs.yaml)"
else
  API_LINE="functions API      not built yet (functions/target/functions.jar missing)"
fi

SIM_JAR="$ROOT/wa-simulator/target/wa-simulator.jar"
SIM_LINE="wa-simulator       not built yet"
if [ -f "$SIM_JAR" ]; then
  SIM_WS="${WAFLEET_SIMULATOR_PORT:-8090}"
  SIM_ADMIN="${WAFLEET_SIMULATOR_ADMIN_PORT:-8091}"
  start "wa-simulator" "$RUN_DIR/simulator.log" java -jar "$SIM_JAR" --port "$SIM_WS" --admin-port "$SIM_ADMIN"
  wait_http "http://127.0.0.1:$SIM_ADMIN/stats" 60 "the WhatsApp simulator" "${PIDS[-1]}"
  SIM_LINE="wa-simulator       ws://127.0.0.1:$SIM_WS/ws/chat   admin http://127.0.0.1:$SIM_ADMIN/stats"
  # wa-client trusts WhatsApp's root key only; a client pointed at this simulator must trust the
  # simulator's own root instead (docs/configuration.md, WAFLEET_WA_ROOT_KEY).
  WAFLEET_WA_ROOT_KEY=$(curl -sf "http://127.0.0.1:$SIM_ADMIN/root-key" \
    | sed -n 's/.*"hex":"\([0-9a-f]\{64\}\)".*/\1/p')
  [ -n "$WAFLEET_WA_ROOT_KEY" ] || die "the simulator did not serve its root key (GET /root-key); see $RUN_DIR/simulator.log"
  export WAFLEET_WA_ROOT_KEY
  SIM_LINE="$SIM_LINE
  simulator root key $WAFLEET_WA_ROOT_KEY   (WAFLEET_WA_ROOT_KEY for a client pointed at it)"
fi

cat <<TXT

wafleet is up (project $GOOGLE_CLOUD_PROJECT):
  Firestore emulator http://$FIRESTORE_EMULATOR_HOST/
  $API_LINE
  $SIM_LINE
  logs               $RUN_DIR/
TXT
if [ "${GENERATED_TOKEN:-}" = "1" ]; then
  echo "  admin token        $WAFLEET_ADMIN_TOKEN   (generated for this run; set WAFLEET_ADMIN_TOKEN to choose one)"
fi
echo
if [ "${WAFLEET_DEMO:-}" = "1" ]; then
  [ -n "${SIM_WS:-}" ] || die "the demo needs the simulator (wa-simulator/target/wa-simulator.jar); run without WAFLEET_SKIP_BUILD"
  DEMO_JAR="$ROOT/demo/target/wafleet-demo.jar"
  [ -f "$DEMO_JAR" ] || die "the demo is not built ($DEMO_JAR); run without WAFLEET_SKIP_BUILD"
  log "running the demo (client logs at WARN; the narrative follows)"
  rm -rf "$ROOT/.wafleet/demo-state"
  WAFLEET_LOG_LEVEL=WARN java -jar "$DEMO_JAR" \
    --ws "ws://127.0.0.1:$SIM_WS/ws/chat" --admin "http://127.0.0.1:$SIM_ADMIN/" --state "$ROOT/.wafleet/demo-state"
  echo
  echo "The demo finished; the stack stays up for you to explore."
fi
echo "Press Ctrl-C to stop everything."

if [ -n "${WAFLEET_UP_EXIT_AFTER_SECONDS:-}" ]; then
  sleep "$WAFLEET_UP_EXIT_AFTER_SECONDS"
  exit 0
fi
# Stay in the foreground until Ctrl-C, or until a started process dies.
while true; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "a process (pid $pid) exited; see its log in $RUN_DIR. Stopping the rest."
      exit 1
    fi
  done
  sleep 1
done
