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

wait_http() { # url, seconds, what [, pid whose death ends the wait]
  local url=$1 seconds=$2 what=$3 pid=${4:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    curl -s -o /dev/null "$url" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      die "$what exited while starting; see its log"
    fi
    sleep 0.1
  done
  die "$what did not answer at $url within ${seconds}s"
}
