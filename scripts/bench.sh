#!/usr/bin/env bash
# ./wafleet bench <name>: benchmarks are commands that print their figures; the last line is machine-readable
# (JSON, or key=value pairs for clients).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

list() {
  cat <<'TXT'
Benchmarks (results go to docs/benchmarks.md with date and machine):
  wire [scale]   wa-client hot path in one JVM: node encode+decode, Noise transport 1 KiB frames,
                 Noise XX handshakes, Signal v3 encrypt+decrypt (ops/s and CPU seconds)
  send [count] [phones]
                 wa-client and Baileys each send count texts (default 5000) to simulated phones through
                 one in-process simulator: msg/s and CPU seconds per 1,000 for both, and their ratio
  clients [count]
                 count paired wa-clients (default 1000) in one JVM with one in-process simulator,
                 all connected at once with the default builder: threads, heap and RSS per
                 connected account, and the time until all are connected
  start [runs] [jar]
                 starts the simulator's runnable jar runs times (default 10): time to its ready line,
                 to its first admin answer and first phone, JVM CPU time; medians and the jar's size
TXT
}

# run_main MODULE CLASS ARGS...: runs a benchmark main from a module's test classes.
run_main() {
  local module=$1 main=$2; shift 2
  mapfile -t flags < <(mvn_flags)
  log "building $module (tests skipped)"
  mvn "${flags[@]}" -q -DskipTests -pl "$module" -am install
  mvn "${flags[@]}" -q -pl "$module" test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/$module/target/bench.classpath"
  java -cp "$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(cat "$ROOT/$module/target/bench.classpath")" \
    "$main" "$@"
}

name="${1:-}"
[ $# -gt 0 ] && shift
case "$name" in
  "") list ;;
  wire) run_main wa-client io.wafleet.client.bench.WireBench "$@" ;;
  send)
    baileys_dir="$ROOT/wa-simulator/src/test/node/baileys"
    if [ ! -d "$baileys_dir/node_modules/baileys" ]; then
      log "installing the Baileys peer (npm ci in $baileys_dir)"
      (cd "$baileys_dir" && npm ci --no-audit --no-fund >&2)
    fi
    run_main wa-simulator io.wafleet.simulator.bench.SendBench "$@" ;;
  clients) run_main wa-simulator io.wafleet.simulator.bench.ClientsBench "$@" ;;
  start)
    if [ ! -f "$ROOT/wa-simulator/target/wa-simulator.jar" ] || [ "${WAFLEET_SKIP_BUILD:-}" != "1" ]; then
      mapfile -t flags < <(mvn_flags)
      log "building wa-simulator/target/wa-simulator.jar (tests skipped); set WAFLEET_SKIP_BUILD=1 to skip"
      mvn "${flags[@]}" -q -DskipTests -pl wa-simulator -am package
    fi
    exec "$ROOT/scripts/bench-start.sh" "$@" ;;
  *) echo "wafleet bench: unknown benchmark '$name'" >&2; list >&2; exit 2 ;;
esac
