#!/usr/bin/env bash
# ./wafleet bench <name>: benchmarks are commands that print their figures; the last line is machine-readable
# (JSON, or key=value pairs for clients).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

list() {
  cat <<'TXT'
Usage: ./wafleet bench <name> [arguments]   (figures are printed; the last line is JSON,
or key=value pairs for clients and mttr.
Record results in docs/benchmarks.md with the date and the machine.)

  wire [scale]
      wa-client's hot path in one JVM: binary node encode+decode, Noise transport of 1 KiB frames,
      Noise XX handshakes, Signal encrypt+decrypt (operations/s and CPU seconds).
      scale  multiplies the number of operations per measurement (default 1 = 50,000 node and
             frame round trips, 500 handshakes, 10,000 Signal messages); raise it for steadier figures.
      Example: ./wafleet bench wire 4
  send [count] [phones]
      wa-client and Baileys each send texts to simulated phones through one in-process simulator:
      messages/s and CPU seconds per 1,000 messages for both, and their ratio.
      count   texts each client sends (default 5000)
      phones  simulated customer phones the texts go to (default 10)
      Example: ./wafleet bench send 2000 5
  send group [members]
      the group case: a group of members users (default 20: wa-client's phone, Baileys' phone and
      simulated phones; members+2 devices). wa-client, then Baileys, send one text to it twice
      (first: sender key to every device; next: the key is known); time from the send call until
      every other device sent its delivery receipt, for both, and their ratio.
      Example: ./wafleet bench send group 20
  clients [count]
      count paired wa-clients (default 1000) in one JVM with one in-process simulator, all
      connected at once with the default builder: threads, heap and RSS per connected account,
      and the time until all are connected; the steady figures are taken 70 s after the last
      connection (WAFLEET_BENCH_SETTLE_SECONDS), okhttp's TaskRunner threads sampled every 5 s meanwhile.
  mttr --accounts N [--rounds K]
      the local stack (./wafleet up) with N accounts seeded as paired (simulated phones scan, the
      sessions stored as the connector stores them; WAFLEET_BENCH_SEED_PARALLEL pairings at a time,
      default 16, WAFLEET_BENCH_SEED_PRE_KEYS pre-keys each, default 812), connector processes the
      benchmark runs itself (JVM options in WAFLEET_BENCH_JAVA_OPTS): the first start's time to all
      CONNECTED, then, 70 s later (WAFLEET_BENCH_SETTLE_SECONDS), RSS, heap after a full GC and
      threads by name; (a) restart: kill -9 the connector and start
      a new one, time from its start until every account is CONNECTED again; (b) failover: with a
      second instance running, kill -9 the owner, time until every account is CONNECTED on the
      other; K rounds each (default 3), p50/p95/max; RSS, heap and threads per connected account.
      Last line: mttr accounts=N restart_p95_s=X restart_max_s=Y failover_max_s=Z rss_mb_per_account=W ...
      Example: ./wafleet bench mttr --accounts 30
  start [runs] [jar]
      starts the simulator's runnable jar several times: time to its ready line, to its first
      admin answer and first phone, JVM CPU time; medians, and the jar's size.
      runs  how many starts (default 10)
      jar   which jar to start (default wa-simulator/target/wa-simulator.jar)
      Example: ./wafleet bench start 5
TXT
}

# run_main MODULE CLASS ARGS...: runs a benchmark main from a module's test classes. Builds with
# package in the reactor (never install: nothing is written to ~/.m2), so the class path names the
# modules' own target/ jars and classes.
run_main() {
  local module=$1 main=$2; shift 2
  mvn_build "$module and its benchmarks (tests compiled, not run)" -DskipTests -pl "$module" -am package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  java -cp "$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(cat "$ROOT/$module/target/bench.classpath")" \
    "$main" "$@"
}

name="${1:-}"
[ $# -gt 0 ] && shift
case "$name" in
  ""|help|-h|--help) list ;;
  wire) run_main wa-client io.wafleet.client.bench.WireBench "$@" ;;
  send)
    baileys_dir="$ROOT/wa-simulator/src/test/node/baileys"
    if [ ! -d "$baileys_dir/node_modules/baileys" ]; then
      log "installing the Baileys peer (npm ci in $baileys_dir)"
      (cd "$baileys_dir" && npm ci --no-audit --no-fund >&2)
    fi
    if [ "${1:-}" = "group" ]; then
      shift
      run_main wa-simulator io.wafleet.simulator.bench.GroupSendBench "$@"
    else
      run_main wa-simulator io.wafleet.simulator.bench.SendBench "$@"
    fi ;;
  clients) run_main wa-simulator io.wafleet.simulator.bench.ClientsBench "$@" ;;
  mttr)
    "$ROOT/scripts/bench-mttr.sh" --check "$@"
    if [ "${WAFLEET_SKIP_BUILD:-}" != "1" ]; then
      # The stack's jars and the connector's test classes with their class path (the seeding tool).
      mvn_build "the stack and the bench's seeding tool (tests compiled, not run)" -DskipTests package \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
    fi
    WAFLEET_SKIP_BUILD=1 WAFLEET_UP_NO_CONNECTOR=1 WAFLEET_UP_RUN="$ROOT/scripts/bench-mttr.sh" exec "$ROOT/scripts/up.sh" "$@" ;;
  start)
    if [ ! -f "$ROOT/wa-simulator/target/wa-simulator.jar" ] || [ "${WAFLEET_SKIP_BUILD:-}" != "1" ]; then
      mvn_build "wa-simulator/target/wa-simulator.jar (tests skipped)" -DskipTests -pl wa-simulator -am package
    fi
    exec "$ROOT/scripts/bench-start.sh" "$@" ;;
  *) echo "wafleet bench: unknown benchmark '$name'" >&2; list >&2; exit 2 ;;
esac
