#!/bin/sh
# cds-archive.sh JAR ARCHIVE: writes a class-data-sharing archive for the connector jar, so its JVM
# maps the classes it needs at start instead of loading and verifying them one by one (about 0.55 s
# of the 1.2 s from process start to the HTTP port on the 2-vCPU bench machine; docs/benchmarks.md).
# A training run: the connector starts with a throwaway configuration, builds everything, tries its
# lease against an address nothing listens on, and is stopped with SIGTERM; the JVM then writes the
# classes it loaded. Run it with the java that will run the jar (an archive is only used by the JVM
# build that wrote it; any other ignores it silently and starts as without it).
# Used by the Dockerfile at image build and by ./wafleet for the local stack and the benchmarks.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: cds-archive.sh JAR ARCHIVE" >&2
  exit 2
fi
jar=$1 out=$2
if [ ! -f "$jar" ]; then
  echo "cds-archive: no jar at $jar" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A 32-byte all-zero key: the training run stores nothing.
key=$(head -c 32 /dev/zero | base64)
env -i PATH="$PATH" HOME="$work" \
  FIRESTORE_EMULATOR_HOST=127.0.0.1:9 WAFLEET_WA_ENDPOINT=ws://127.0.0.1:9/ws/chat \
  WAFLEET_SESSION_KEYS="training:$key" WAFLEET_INSTANCE_ID=cds-training WAFLEET_INSTANCE_LOCK_DIR="$work" \
  PORT=0 WAFLEET_LOG_LEVEL=WARN \
  java -XX:ArchiveClassesAtExit="$work/archive.jsa" -jar "$jar" >"$work/training.log" 2>&1 &
pid=$!
# Long enough for the lease's first attempts to fail and be retried (their classes are what a real
# start loads next); the HTTP port opens within about 1.5 s.
sleep 6
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ ! -s "$work/archive.jsa" ]; then
  echo "cds-archive: the training run wrote no archive; its output:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
mv "$work/archive.jsa" "$out"
echo "cds-archive: wrote $out ($(wc -c <"$out") bytes)"
