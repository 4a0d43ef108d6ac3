#!/usr/bin/env bash
# ./wafleet up (and demo): the local stack in the foreground. Ctrl-C stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"
UP_RUN_ARGS=("$@")

RUN_DIR="$ROOT/.wafleet/run"
mkdir -p "$RUN_DIR"
PIDS=()

stop_all() {
  trap - INT TERM EXIT
  rm -f "$RUN_DIR/stack.env"
  [ "${#PIDS[@]}" -gt 0 ] || return 0
  log "stopping ${#PIDS[@]} process group(s)"
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    # 10 s, as Cloud Run gives: the connector hands its accounts and lease back on SIGTERM.
    for _ in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  log "stopped"
}
# On Ctrl-C or TERM: stop everything, then end here (not in the watch loop below, which would take the
# stopped components for crashed ones).
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

# start_component NAME LOGFILE READY_CHECK COMMAND...: runs COMMAND in its own process group (so
# Ctrl-C stops all of it), then waits until the shell function READY_CHECK succeeds. Readiness
# checks ask for an answer only our component gives, so a foreign server on the port is never
# taken for ours. If the process dies or the wait times out, says which component and shows the end
# of its log. Adding a component to the stack is one more call.
NAMES=()
LOGS=()
START_TIMEOUT="${WAFLEET_START_TIMEOUT_SECONDS:-90}"
start_component() {
  local name=$1 logfile=$2 ready=$3 pid i; shift 3
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  pid=$!
  PIDS+=("$pid"); NAMES+=("$name"); LOGS+=("$logfile")
  log "starting $name (pid $pid, log $logfile)"
  for ((i = 0; i < START_TIMEOUT * 5; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited while starting; the end of $logfile:"
      log_tail "$logfile" >&2
      exit 1
    fi
    if "$ready"; then
      log "$name is ready"
      return 0
    fi
    sleep 0.2
  done
  log "$name did not become ready within ${START_TIMEOUT}s (WAFLEET_START_TIMEOUT_SECONDS); the end of $logfile:"
  log_tail "$logfile" >&2
  exit 1
}

# Readiness checks: each expects a response only our component gives.
firestore_ready() { # the emulator answers "Ok" on /
  [ "$(curl -s --max-time 2 "http://127.0.0.1:$FIRESTORE_PORT/" 2>/dev/null)" = "Ok" ]
}
api_ready() { # an authenticated /v1/health names the build and its boot time (docs/api.md)
  curl -s --max-time 2 -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "http://127.0.0.1:$API_PORT/v1/health" 2>/dev/null \
    | grep -q '"bootedAt"'
}
monitor_ready() { # a GET on a job is refused with our API error shape (only POST runs a job)
  curl -s --max-time 2 "http://127.0.0.1:$MONITOR_PORT/jobs/heartbeat" 2>/dev/null | grep -q '"code":"method-not-allowed"'
}
started() { # for a component that serves nothing (it only calls others): alive is ready
  true
}
simulator_ready() { # the simulator serves its 32-byte root key as hex on /root-key
  curl -s --max-time 2 "http://127.0.0.1:$SIM_ADMIN/root-key" 2>/dev/null | grep -q '"hex":"[0-9a-f]\{64\}"'
}
connector_ready() { # /readyz answers 200 {"ready":true} once the instance lease is held (docs/configuration.md)
  [ "$(curl -s --max-time 2 "http://127.0.0.1:$CONNECTOR_PORT/readyz" 2>/dev/null)" = '{"ready":true}' ]
}

check_prerequisites

FIRESTORE_PORT="${WAFLEET_FIRESTORE_PORT:-8081}"
API_PORT="${WAFLEET_API_PORT:-8080}"
MONITOR_PORT="${WAFLEET_MONITOR_PORT:-8082}"
SIM_WS="${WAFLEET_SIMULATOR_PORT:-8090}"
SIM_ADMIN="${WAFLEET_SIMULATOR_ADMIN_PORT:-8091}"
CONNECTOR_PORT="${WAFLEET_CONNECTOR_PORT:-8083}"
# Before building or starting anything: every port we will listen on must be free.
check_ports "Firestore emulator, WAFLEET_FIRESTORE_PORT=$FIRESTORE_PORT" "functions API, WAFLEET_API_PORT=$API_PORT" \
  "monitor function, WAFLEET_MONITOR_PORT=$MONITOR_PORT" \
  "simulator, WAFLEET_SIMULATOR_PORT=$SIM_WS" "simulator admin, WAFLEET_SIMULATOR_ADMIN_PORT=$SIM_ADMIN" \
  "connector, WAFLEET_CONNECTOR_PORT=$CONNECTOR_PORT"

if [ "${WAFLEET_SKIP_BUILD:-}" != "1" ]; then
  # package, not install: every jar the stack runs is in the modules' target/ directories.
  mvn_build "the stack (tests skipped)" -DskipTests package
fi

export GOOGLE_CLOUD_PROJECT="${GOOGLE_CLOUD_PROJECT:-demo-wafleet}"
export FIRESTORE_EMULATOR_HOST="127.0.0.1:$FIRESTORE_PORT"
# Our components log one-line text here (docs/configuration.md, WAFLEET_LOG_FORMAT); JSON in the cloud.
export WAFLEET_LOG_FORMAT="${WAFLEET_LOG_FORMAT:-text}"
if [ -z "${WAFLEET_ADMIN_TOKEN:-}" ]; then
  WAFLEET_ADMIN_TOKEN=$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | cut -c1-40)
  GENERATED_TOKEN=1
fi
export WAFLEET_ADMIN_TOKEN
CONNECTOR_PID_FILE="$RUN_DIR/connector.pid"
rm -f "$CONNECTOR_PID_FILE"

start_component "the Firestore emulator" "$RUN_DIR/firestore.log" firestore_ready \
  java -Duser.language=en ${WAFLEET_EMULATOR_JAVA_OPTS:-} -cp "$(emulator_jar)" com.google.cloud.datastore.emulator.firestore.CloudFirestore \
  start --host=127.0.0.1 --port="$FIRESTORE_PORT"

INVOKER="$ROOT/functions/target/invoker/java-function-invoker-2.0.0.jar"
DASHBOARD_LINE=""
if [ -f "$INVOKER" ] && [ -f "$ROOT/functions/target/functions.jar" ]; then
  # The invoker and its Jetty log through java.util.logging; JulSetup (from our logging module) gives
  # their lines the same format as the function's own.
  LOGGING_JAR=$(ls "$ROOT"/functions/target/dependency/logging-*.jar 2>/dev/null | head -1)
  INVOKER_JAVA=(java -Djava.util.logging.config.class=io.wafleet.logging.JulSetup -cp "$INVOKER:$LOGGING_JAR"
    com.google.cloud.functions.invoker.runner.Invoker
    --classpath "$ROOT/functions/target/functions.jar:$ROOT/functions/target/dependency/*")
  start_component "the functions API" "$RUN_DIR/functions.log" api_ready \
    "${INVOKER_JAVA[@]}" --target io.wafleet.functions.api.ApiFunction --port "$API_PORT"
  API_LINE="functions API      http://127.0.0.1:$API_PORT/v1/health   (send X-Admin-Token for details)"
  # The dashboard page needs credentials a browser cannot send: ask the API for a signed view link.
  link_path=$(curl -s -X POST -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "http://127.0.0.1:$API_PORT/v1/dashboard/links" \
    | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
  if [ -n "$link_path" ]; then
    DASHBOARD_LINE="dashboard          http://127.0.0.1:$API_PORT$link_path
                     (opens in a browser for 5 minutes; a new link: curl -X POST -H \"X-Admin-Token: \$WAFLEET_ADMIN_TOKEN\" http://127.0.0.1:$API_PORT/v1/dashboard/links)"
  fi
  # Locally the watchdog restarts the connector through its pid file (scripts/restart-loop.sh keeps it).
  start_component "the monitor function" "$RUN_DIR/monitor.log" monitor_ready \
    env WAFLEET_CONNECTOR_PID_FILE="$CONNECTOR_PID_FILE" \
    "${INVOKER_JAVA[@]}" --target io.wafleet.functions.monitor.MonitorFunction --port "$MONITOR_PORT"
  # Cloud Scheduler's local stand-in fires scheduler/jobs.yaml at the monitor function every minute.
  start_component "the local scheduler" "$RUN_DIR/scheduler.log" started \
    java -cp "$ROOT/functions/target/functions.jar:$ROOT/functions/target/dependency/*" \
    io.wafleet.functions.schedule.LocalScheduler "$ROOT/scheduler/jobs.yaml" "wafleet-monitor=http://127.0.0.1:$MONITOR_PORT"
  API_LINE="$API_LINE
  monitor function   http://127.0.0.1:$MONITOR_PORT/jobs/{name}   (fired every minute by the local scheduler: scheduler/jobs.yaml)"
else
  API_LINE="functions API      not built yet (functions/target/functions.jar missing)"
fi

SIM_JAR="$ROOT/wa-simulator/target/wa-simulator.jar"
SIM_LINE="wa-simulator       not built yet"
SIM_RUNNING=""
if [ -f "$SIM_JAR" ]; then
  start_component "the WhatsApp simulator" "$RUN_DIR/simulator.log" simulator_ready \
    java -jar "$SIM_JAR" --port "$SIM_WS" --admin-port "$SIM_ADMIN"
  SIM_RUNNING=1
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

CONNECTOR_JAR="$ROOT/connector-service/target/connector-service.jar"
CONNECTOR_LINE="connector          not built yet (connector-service/target/connector-service.jar missing)"
if [ "${WAFLEET_UP_NO_CONNECTOR:-}" = "1" ]; then
  # ./wafleet bench mttr runs its own connector processes.
  CONNECTOR_LINE="connector          run by the benchmark itself"
elif [ -n "$SIM_RUNNING" ] && [ -f "$CONNECTOR_JAR" ]; then
  # The connector holds one WhatsApp socket per account, here against the simulator. It runs under a
  # restart loop, as Cloud Run replaces a dead instance: kill -9 it and the loop starts a new one;
  # the watchdog's local restarter (WAFLEET_CONNECTOR_PID_FILE) stops it through the pid file.
  # Shorter leases than production's 30 s: a peer takes a dead connector's accounts sooner.
  # One stable instance id for every process the loop starts: a restarted process finds the killed
  # one's lock (under the temporary directory) free and takes its accounts back at once instead of
  # waiting for its lease to run out (docs/configuration.md, WAFLEET_INSTANCE_ID).
  # The key ring goes through the environment only (never a command line that ps would show).
  WAFLEET_SESSION_KEYS="$(local_session_keys)" start_component "the connector" "$RUN_DIR/connector.log" connector_ready \
    env WAFLEET_WA_ENDPOINT="ws://127.0.0.1:$SIM_WS/ws/chat" \
    PORT="$CONNECTOR_PORT" \
    WAFLEET_INSTANCE_ID="${WAFLEET_INSTANCE_ID:-local-connector}" \
    WAFLEET_LEASE_TTL_SECONDS="${WAFLEET_LEASE_TTL_SECONDS:-10}" \
    WAFLEET_LEASE_RENEW_SECONDS="${WAFLEET_LEASE_RENEW_SECONDS:-3}" \
    WAFLEET_LEASE_SKEW_SECONDS="${WAFLEET_LEASE_SKEW_SECONDS:-2}" \
    "$ROOT/scripts/restart-loop.sh" "$CONNECTOR_PID_FILE" java $(connector_cds_option "$CONNECTOR_JAR") -jar "$CONNECTOR_JAR"
  CONNECTOR_LINE="connector          http://127.0.0.1:$CONNECTOR_PORT/status   (pid in $CONNECTOR_PID_FILE; kill -9 it and it starts again)
  pair an account    ./wafleet phone scan <accountId>   (a simulated phone scans the account's QR; the
                     phone number is the account's; create one: curl -X POST -H \"X-Admin-Token: \$WAFLEET_ADMIN_TOKEN\"
                     -H 'Content-Type: application/json' -d '{\"name\":\"Shop\",\"phone\":\"+40700000001\"}' http://127.0.0.1:$API_PORT/v1/accounts)"
elif [ -z "$SIM_RUNNING" ]; then
  CONNECTOR_LINE="connector          not started (it needs the simulator)"
fi

# What `./wafleet phone` (and the demo, soak and bench) need to reach this stack; the admin token is
# a secret, so the file is readable by its owner only and removed when the stack stops.
write_stack_env "$RUN_DIR/stack.env"

cat <<TXT

wafleet is up (project $GOOGLE_CLOUD_PROJECT):
  Firestore emulator http://$FIRESTORE_EMULATOR_HOST/
  $API_LINE
  $SIM_LINE
  $CONNECTOR_LINE
  logs               $RUN_DIR/
TXT
[ -n "$DASHBOARD_LINE" ] && echo "  $DASHBOARD_LINE"
if [ "${GENERATED_TOKEN:-}" = "1" ]; then
  echo "  admin token        $WAFLEET_ADMIN_TOKEN   (generated for this run; set WAFLEET_ADMIN_TOKEN to choose one)"
fi
echo
if [ "${WAFLEET_DEMO:-}" = "1" ]; then
  [ -n "$SIM_RUNNING" ] && [ -f "$CONNECTOR_JAR" ] \
    || die "the demo needs the simulator and the connector (their jars); run without WAFLEET_SKIP_BUILD"
  DEMO_JAR="$ROOT/demo/target/wafleet-demo.jar"
  [ -f "$DEMO_JAR" ] || die "the demo is not built ($DEMO_JAR); run without WAFLEET_SKIP_BUILD"
  log "running the demo (the story follows; the components' logs are in $RUN_DIR/)"
  WAFLEET_LOG_LEVEL=WARN WAFLEET_LOG_FORMAT=text java -jar "$DEMO_JAR" --api "http://127.0.0.1:$API_PORT" \
    --sim-admin "http://127.0.0.1:$SIM_ADMIN/" --connector-pid-file "$CONNECTOR_PID_FILE"
  echo
  echo "The demo finished; the stack stays up for you to explore."
fi
if [ -n "${WAFLEET_UP_RUN:-}" ]; then
  # ./wafleet soak and bench: run one command against the stack, then stop everything.
  set +e
  "$WAFLEET_UP_RUN" "${UP_RUN_ARGS[@]}"
  status=$?
  set -e
  exit "$status"
fi
echo "Press Ctrl-C to stop everything."

if [ -n "${WAFLEET_UP_EXIT_AFTER_SECONDS:-}" ]; then
  sleep "$WAFLEET_UP_EXIT_AFTER_SECONDS"
  exit 0
fi
# Stay in the foreground until Ctrl-C, or until a started process dies. The connector's restart loop
# starts a dead connector again (as Cloud Run would); say so, with the loop's reason, when it happens.
connector_seen=$(cat "$CONNECTOR_PID_FILE" 2>/dev/null || true)
while true; do
  connector_now=$(cat "$CONNECTOR_PID_FILE" 2>/dev/null || true)
  if [ -n "$connector_now" ] && [ "$connector_now" != "$connector_seen" ]; then
    why=$(grep -E '^\[restart-loop\] .* (ended by signal|exited with code)' "$RUN_DIR/connector.log" | tail -n 1 \
      | sed 's/^\[restart-loop\] [^ ]* //; s/; starting it again$//' || true)
    log "the connector ${why:-ended}; the restart loop started pid $connector_now (log $RUN_DIR/connector.log)"
    connector_seen=$connector_now
  fi
  for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      log "${NAMES[$i]} (pid ${PIDS[$i]}) exited; the end of ${LOGS[$i]}:"
      log_tail "${LOGS[$i]}" >&2
      log "stopping the rest"
      exit 1
    fi
  done
  sleep 1
done
