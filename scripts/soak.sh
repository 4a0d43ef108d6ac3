#!/usr/bin/env bash
# ./wafleet soak --minutes M [--accounts N] [--restart-every-minutes R]
# Run by ./wafleet up once the local stack is up (WAFLEET_UP_RUN): creates N accounts through the API
# and pairs them with simulated phones, then for M minutes kills the connector with kill -9 every R
# minutes (the restart loop starts a new one, as Cloud Run would) and measures each time until every
# account is CONNECTED again. At the end it reads what the monitors computed from their own
# schedule (the local scheduler fires scheduler/jobs.yaml every minute): heartbeat coverage and gaps
# (GET /v1/admin/coverage), incidents and their time to recover (GET /v1/admin/report for today,
# /v1/admin/incidents). The last line is key=value pairs. `--check` only validates the arguments.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

usage() {
  echo "usage: ./wafleet soak --minutes M [--accounts N] [--restart-every-minutes R]   (M >= 2; N 1-50, default 3; R >= 1, default 2)" >&2
  exit 2
}
check_only=0 minutes="" accounts=3 every=2
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=1; shift ;;
    --minutes) [ $# -ge 2 ] || usage; minutes=$2; shift 2 ;;
    --accounts) [ $# -ge 2 ] || usage; accounts=$2; shift 2 ;;
    --restart-every-minutes) [ $# -ge 2 ] || usage; every=$2; shift 2 ;;
    *) echo "wafleet soak: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -ge 2 ] || { echo "wafleet soak: --minutes must be a whole number >= 2" >&2; usage; }
[[ "$accounts" =~ ^[0-9]+$ ]] && [ "$accounts" -ge 1 ] && [ "$accounts" -le 50 ] || { echo "wafleet soak: --accounts must be 1-50" >&2; usage; }
[[ "$every" =~ ^[0-9]+$ ]] && [ "$every" -ge 1 ] || { echo "wafleet soak: --restart-every-minutes must be >= 1" >&2; usage; }
[ "$check_only" = 1 ] && exit 0

require_tool jq "install jq (apt-get install jq)"
load_stack_env
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
api() { curl -sf --max-time 10 -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "$@"; }
say() { printf '[soak] %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

say "creating $accounts account(s) through the API and pairing each with a simulated phone"
ids=()
for i in $(seq 1 "$accounts"); do
  phone=$(printf '+4075%07d' "$i")
  id=$(api -X POST -H 'Content-Type: application/json' -d "{\"name\":\"soak $i\",\"phone\":\"$phone\"}" \
    "$WAFLEET_API_URL/v1/accounts" | jq -r .id)
  ids+=("$id")
done
for id in "${ids[@]}"; do "$ROOT/scripts/phone.sh" scan "$id" 2>&1 | sed 's/^/  /'; done

# all_connected_since EPOCH: true when every account is CONNECTED with connectedAt at or after EPOCH.
all_connected_since() {
  local since=$1 id view
  for id in "${ids[@]}"; do
    view=$(api "$WAFLEET_API_URL/v1/accounts/$id") || return 1
    jq -e --arg since "$(iso "$since")" '.status == "CONNECTED" and .connectedAt != null
      and (.connectedAt | sub("\\.[0-9]+";"")) >= $since' <<<"$view" >/dev/null || return 1
  done
}

start=$(date +%s)
end=$(( start + minutes * 60 ))
say "soak runs until $(iso "$end"): kill -9 of the connector every $every minute(s)"
recoveries=()
next=$(( start + every * 60 ))
while [ $(( next + 30 )) -le "$end" ]; do
  sleep $(( next - $(date +%s) > 0 ? next - $(date +%s) : 0 ))
  pid=$(cat "$WAFLEET_CONNECTOR_PID_FILE")
  killed=$(date +%s)
  killed_ns=$(date +%s%N)
  kill -9 "$pid"
  say "kill -9 of the connector (pid $pid)"
  deadline=$(( killed + 300 ))
  until all_connected_since "$killed"; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "not every account was CONNECTED again within 300 s"; break; }
    sleep 0.5
  done
  took=$(awk -v a="$killed_ns" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
  recoveries+=("$took")
  say "every account CONNECTED again ${took} s after the kill (new pid $(cat "$WAFLEET_CONNECTOR_PID_FILE"))"
  next=$(( next + every * 60 ))
done
remaining=$(( end - $(date +%s) ))
[ "$remaining" -le 0 ] || sleep "$remaining"
# One more minute so the last minute's heartbeat is written before coverage is read.
say "waiting 65 s for the last minute's heartbeat"
sleep 65

# Whole minutes of the soak: from the first full minute after the start to the last full minute.
from=$(( (start / 60 + 1) * 60 ))
to=$(( end / 60 * 60 ))
coverage=$(api "$WAFLEET_API_URL/v1/admin/coverage?from=$(iso "$from")&to=$(iso "$to")")
report=$(api "$WAFLEET_API_URL/v1/admin/report?day=$(date -u +%Y-%m-%d)")
open=$(api "$WAFLEET_API_URL/v1/admin/incidents?state=OPEN&limit=100")

echo
echo "soak: $minutes minute(s), $accounts account(s), ${#recoveries[@]} connector kill(s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
jq -r '"heartbeat coverage \(.minutesWithHeartbeat)/\(.minutesInWindow) minutes = \(.coverage * 1000 | round / 10) % (\(.from) to \(.to)); minutes with a live connector \(.minutesWithLiveConnector); gaps: \(if (.gaps | length) == 0 then "none" else (.gaps | map("\(.from) for \(.minutes) min") | join(", ")) end)"' <<<"$coverage"
jq -r '"incidents today: \(.incidentsOpened) opened, \(.incidentsResolved) resolved; MTTR of resolved incidents: mean \(.mttrMeanSeconds // "n/a") s, p95 \(.mttrP95Seconds // "n/a") s"' <<<"$report"
jq -r '.items[] | "  open incident: \(.type) \(.subject) since \(.openedAt)"' <<<"$open"
stats=$(printf '%s\n' "${recoveries[@]:-}" | awk 'NF {n++; s+=$1; if ($1>m) m=$1} END {if (n) printf "%.1f %.1f", s/n, m; else print "n/a n/a"}')
echo "time to every account CONNECTED after each kill -9 (s): ${recoveries[*]:-none}; mean ${stats% *}, max ${stats#* }"
printf 'soak minutes=%s accounts=%s kills=%s coverage=%s missed_minutes=%s incidents_opened=%s incidents_open=%s incident_mttr_mean_s=%s restart_mttr_mean_s=%s restart_mttr_max_s=%s\n' \
  "$minutes" "$accounts" "${#recoveries[@]}" "$(jq -r .coverage <<<"$coverage")" "$(jq -r .missedMinutes <<<"$coverage")" \
  "$(jq -r .incidentsOpened <<<"$report")" "$(jq -r '.items | length' <<<"$open")" \
  "$(jq -r '.mttrMeanSeconds // "n/a"' <<<"$report")" "${stats% *}" "${stats#* }"
