#!/usr/bin/env bash
# restart-loop.sh PIDFILE COMMAND...: the local stand-in for Cloud Run's "a dead instance is replaced".
# Runs COMMAND, keeps its pid in PIDFILE, and starts it again whenever it ends (kill -9 included), so
# the watchdog's local restarter (WAFLEET_CONNECTOR_PID_FILE, docs/configuration.md), the demo,
# `./wafleet soak` and `./wafleet bench` only have to stop the process. Gives up, with COMMAND's exit
# code, when COMMAND refuses its configuration (exit 2) or exits by itself within 5 s of starting three
# times in a row (a kill by a signal is a restart someone asked for, never counted): ./wafleet up then reports the component as dead with the end of its log. TERM or INT stops
# COMMAND (TERM: it shuts down cleanly) and the loop. Each start and end is one line on stdout.
set -uo pipefail

[ $# -ge 2 ] || { echo "usage: restart-loop.sh PIDFILE COMMAND..." >&2; exit 64; }
pidfile=$1
shift
child=""

say() { printf '[restart-loop] %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

stop() {
  trap - TERM INT
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  rm -f "$pidfile"
  exit 0
}
trap stop TERM INT

quick_deaths=0
starts=0
while true; do
  started=$(date +%s)
  "$@" &
  child=$!
  starts=$((starts + 1))
  printf '%s\n' "$child" > "$pidfile.tmp" && mv -f "$pidfile.tmp" "$pidfile"
  say "start $starts: pid $child"
  wait "$child"
  code=$?
  # wait also returns when a trapped signal arrives; the trap has then already stopped everything.
  if [ "$code" -gt 128 ]; then
    say "pid $child ended by signal $((code - 128)); starting it again"
  else
    say "pid $child exited with code $code; starting it again"
  fi
  if [ "$code" -eq 2 ]; then
    say "exit code 2 means the configuration was refused: not restarting"
    rm -f "$pidfile"
    exit 2
  fi
  if [ "$code" -le 128 ] && [ $(( $(date +%s) - started )) -lt 5 ]; then
    quick_deaths=$((quick_deaths + 1))
    if [ "$quick_deaths" -ge 3 ]; then
      say "exited within 5 s of starting three times in a row: not restarting"
      rm -f "$pidfile"
      exit "$code"
    fi
  else
    quick_deaths=0
  fi
done
