#!/usr/bin/env bash
# ./wafleet bench start [runs] [jar]: how long the simulator's runnable jar takes to start.
# Per run: wall time to its "ws=<port> admin=<port>" line, to the first 200 of GET /stats, to the
# first 201 of POST /phones, and the JVM's CPU time at that first /stats answer. Then medians; the
# last line is JSON. Free ports (port 0), loopback only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

runs="${1:-10}"
jar="${2:-$ROOT/wa-simulator/target/wa-simulator.jar}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "runs must be a positive number, got '$runs'"
[ -f "$jar" ] || die "no jar at $jar (build it: mvn -DskipTests -pl wa-simulator -am package)"
require_tool curl "install curl (apt-get install curl)"

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

ticks=$(getconf CLK_TCK)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq 1 "$runs"); do
  out=$(mktemp)
  start=$(date +%s%N)
  java -jar "$jar" --port 0 --admin-port 0 >"$out" 2>&1 &
  pid=$!
  until grep -q '^ws=' "$out"; do
    kill -0 "$pid" 2>/dev/null || die "the simulator exited: $(tail -5 "$out")"
    sleep 0.01
  done
  ready=$(ms_since "$start")
  admin=$(sed -n 's/^ws=[0-9]* admin=\([0-9]*\)$/\1/p' "$out")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/stats")" = 200 ]; do sleep 0.01; done
  stats=$(ms_since "$start")
  cpu=$(awk -v t="$ticks" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"phone":"40700000001"}' "http://127.0.0.1:$admin/phones")
  [ "$code" = 201 ] || die "POST /phones answered $code"
  phone=$(ms_since "$start")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$out"
  echo "run $run: ready ${ready} ms, first /stats ${stats} ms, first phone ${phone} ms, CPU at first /stats ${cpu} ms"
  echo "$ready $stats $phone $cpu" >> "$results"
done
col() { awk -v c="$1" '{print $c}' "$results" | median; }
size=$(stat -c %s "$jar")
echo "jar $(basename "$jar"): $size bytes; medians of $runs runs: ready $(col 1) ms, first /stats $(col 2) ms, first phone $(col 3) ms, CPU $(col 4) ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '{"bench":"start","jarBytes":%s,"runs":%s,"readyMs":%s,"firstStatsMs":%s,"firstPhoneMs":%s,"cpuMsAtFirstStats":%s,"cpus":%s}\n' \
  "$size" "$runs" "$(col 1)" "$(col 2)" "$(col 3)" "$(col 4)" "$(nproc)"
