# Shared helpers for the wafleet scripts. Sourced, never run.

log() { printf '[wafleet] %s\n' "$*" >&2; }
die() { printf '[wafleet] error: %s\n' "$*" >&2; exit 1; }

mvn_flags() {
  local flags=(-B -ntp)
  [ "${CI:-}" = "true" ] && flags+=(-Dstyle.color=never)
  printf '%s\n' "${flags[@]}"
}

require_tool() { # name, install hint
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"
}

check_prerequisites() {
  require_tool java "install JDK 17+ (apt-get install openjdk-17-jdk-headless)"
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "JDK 17+ is required (found java.specification.version=$major)"
  require_tool mvn "install Apache Maven 3.8+ (apt-get install maven)"
  require_tool node "install Node.js 20+ and npm (apt-get install nodejs npm); the Baileys and rules tests need them"
  require_tool npm "install npm (apt-get install npm)"
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || die "Node.js 20+ is required (found $(node -v))"
  emulator_jar >/dev/null || die "the Firestore emulator is missing: apt-get install google-cloud-cli-firestore-emulator (Google Cloud apt repository) or gcloud components install cloud-firestore-emulator"
}

# Prints the path of cloud-firestore-emulator.jar, or fails.
emulator_jar() {
  local rel="platform/cloud-firestore-emulator/cloud-firestore-emulator.jar" root
  if [ -n "${WAFLEET_FIRESTORE_EMULATOR_JAR:-}" ]; then
    [ -f "$WAFLEET_FIRESTORE_EMULATOR_JAR" ] && { echo "$WAFLEET_FIRESTORE_EMULATOR_JAR"; return 0; }
    return 1
  fi
  if command -v gcloud >/dev/null 2>&1; then
    root=$(CLOUDSDK_CORE_DISABLE_PROMPTS=1 gcloud info --format='value(installation.sdk_root)' 2>/dev/null || true)
    [ -n "$root" ] && [ -f "$root/$rel" ] && { echo "$root/$rel"; return 0; }
  fi
  for root in /usr/lib/google-cloud-sdk /usr/share/google-cloud-sdk "$HOME/google-cloud-sdk"; do
    [ -f "$root/$rel" ] && { echo "$root/$rel"; return 0; }
  done
  return 1
}

free_port() {
  python3 - <<'PY' 2>/dev/null || shuf -i 20000-60000 -n 1
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# mvn_build WHAT MAVEN-ARGS...: runs Maven with one progress line per module ("building 3/7:
# wa-simulator") instead of silence or Maven's full output; the full output goes to
# .wafleet/build.log, and on failure its last lines (the error) are printed.
mvn_build() {
  local what=$1; shift
  local build_log="$ROOT/.wafleet/build.log" flags status start
  mkdir -p "$ROOT/.wafleet"
  mapfile -t flags < <(mvn_flags)
  log "building $what: mvn ${flags[*]} $* (full output in .wafleet/build.log; WAFLEET_SKIP_BUILD=1 skips where offered)"
  start=$(date +%s)
  set +e
  mvn "${flags[@]}" "$@" 2>&1 | tee "$build_log" | reactor_progress
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    grep -E '^\[(ERROR|FATAL)\]' "$build_log" | head -25 >&2 || true
    die "the build failed (exit $status); full output in $build_log"
  fi
  log "built in $(( $(date +%s) - start ))s"
}

# Reads Maven's output and prints one line per reactor module: "[wafleet]   building 2/7: wa-client".
reactor_progress() {
  sed -un 's/^\[INFO\] Building \(.*\) \([^ ][^ ]*\) *\[\([0-9]*\)\/\([0-9]*\)\]$/[wafleet]   building \3\/\4: \1/p' >&2
}

# Last lines of a component's log, indented, for "why did it die"; first the deepest cause of an
# exception or the last error line, when the log has one, since a stack trace's end rarely says why.
log_tail() { # file [lines]
  [ -f "$1" ] || { echo "    (no log at $1)"; return 0; }
  local reason
  reason=$(grep -E '^Caused by: |ERROR|SEVERE|Exception: ' "$1" | tail -n 1 | cut -c1-300)
  [ -z "$reason" ] || echo "    reason: ${reason#Caused by: }"
  tail -n "${2:-15}" "$1" | sed 's/^/    | /'
}

# port_owner PORT: "pid 123 (java)" when ss can tell who listens on PORT, else nothing.
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/pid \2 (\1)/p' | head -1
}

# port_in_use PORT: true when something already listens on 127.0.0.1:PORT (or on all addresses).
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# check_ports NAME=PORT...: fails before anything starts, naming every port that is taken.
check_ports() {
  local pair name port owner taken=0
  for pair in "$@"; do
    name=${pair%%=*} port=${pair#*=}
    if port_in_use "$port"; then
      owner=$(port_owner "$port")
      log "port $port ($name) is already in use${owner:+ by $owner}"
      taken=1
    fi
  done
  [ "$taken" -eq 0 ] || die "nothing was started: stop what holds those ports, or move ours with the variable named beside each (docs/configuration.md)"
}

# The local stack's own state (kept across runs, never committed): .wafleet/state/.
local_state_dir() {
  local dir="$ROOT/.wafleet/state"
  mkdir -p "$dir"
  chmod 700 "$dir"
  echo "$dir"
}

# local_session_keys: WAFLEET_SESSION_KEYS when set, else the local stack's key ring "local:<base64>",
# 32 random bytes generated on first use and kept in .wafleet/state/session-keys (owner-only), so
# sessions stored in an emulator survive a restart of the connector. Never printed or logged.
local_session_keys() {
  if [ -n "${WAFLEET_SESSION_KEYS:-}" ]; then
    printf '%s' "$WAFLEET_SESSION_KEYS"
    return 0
  fi
  local file
  file="$(local_state_dir)/session-keys"
  if [ ! -s "$file" ]; then
    (umask 077 && printf 'local:%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" > "$file.tmp" \
      && mv -f "$file.tmp" "$file")
  fi
  tr -d '\n' < "$file"
}

# write_stack_env FILE: the running stack's addresses and admin token, for ./wafleet phone, demo,
# soak and bench (sourced by load_stack_env). Owner-only: it holds the admin token.
write_stack_env() {
  (umask 077 && cat > "$1" <<ENV
WAFLEET_API_URL=http://127.0.0.1:$API_PORT
WAFLEET_SIMULATOR_ADMIN_URL=http://127.0.0.1:$SIM_ADMIN
WAFLEET_CONNECTOR_URL=http://127.0.0.1:$CONNECTOR_PORT
WAFLEET_WA_ENDPOINT=ws://127.0.0.1:$SIM_WS/ws/chat
WAFLEET_CONNECTOR_PID_FILE=$CONNECTOR_PID_FILE
WAFLEET_ADMIN_TOKEN=$WAFLEET_ADMIN_TOKEN
ENV
  )
}

# load_stack_env: reads what write_stack_env wrote for the stack ./wafleet up runs now, or fails.
load_stack_env() {
  local file="$ROOT/.wafleet/run/stack.env"
  [ -f "$file" ] || die "no local stack is running (start one with ./wafleet up in another terminal)"
  # shellcheck disable=SC1090
  set -a; source "$file"; set +a
  # A busy machine can keep the API from answering for a while: up to 30 s before giving up.
  local tries
  for tries in 1 2 3; do
    curl -s --max-time 10 "$WAFLEET_API_URL/v1/health" >/dev/null 2>&1 && return 0
  done
  die "the stack described in $file does not answer at $WAFLEET_API_URL (stopped?); start ./wafleet up"
}

# connector_cds_option JAR: prints the JVM option that makes the connector use its class-data-sharing
# archive (target/connector.jsa beside the jar), writing the archive first when it is missing or older
# than the jar (an 8 s training run, once per build; connector-service/cds-archive.sh). Prints nothing
# when the archive cannot be written: the connector then starts without it, only slower.
connector_cds_option() {
  local jar=$1 archive
  archive="$(dirname "$jar")/connector.jsa"
  if [ ! -s "$archive" ] || [ "$jar" -nt "$archive" ]; then
    log "writing the connector's class-data-sharing archive (a training run of about 8 s, once per build)"
    if ! "$ROOT/connector-service/cds-archive.sh" "$jar" "$archive" >/dev/null; then
      log "the connector's class-data-sharing archive could not be written; starting without it"
      return 0
    fi
  fi
  printf -- '-XX:SharedArchiveFile=%s' "$archive"
}
