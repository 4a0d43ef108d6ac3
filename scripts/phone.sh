#!/usr/bin/env bash
# ./wafleet phone scan|unlink <accountId>: a simulated phone acts on an account of the running local
# stack (./wafleet up in another terminal), as its owner would on a real phone.
#   scan    the phone with the account's number scans the account's QR (WhatsApp: Settings > Linked
#           devices > Link a device), then waits until the account is CONNECTED.
#   unlink  the phone removes the account's linked device (Linked devices > Log out), then waits
#           until the account is LOGGED_OUT and a fresh QR is ready.
# The QR is read through the API and never printed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

usage() {
  echo "usage: ./wafleet phone scan <accountId> | ./wafleet phone unlink <accountId>" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1 account=$2
[[ "$account" =~ ^[A-Za-z0-9._-]{1,200}$ ]] || die "account id '$account' is not one the API hands out"
require_tool jq "install jq (apt-get install jq)"
load_stack_env
WAIT_SECONDS="${WAFLEET_PHONE_WAIT_SECONDS:-60}"

# api PATH [curl args...]: prints the body, then the HTTP status on its own last line.
api() {
  local path=$1; shift
  # A timeout is status 000, never an exit of this script: callers decide what to do with it.
  curl -s --max-time 10 -w '\n%{http_code}' -H "X-Admin-Token: $WAFLEET_ADMIN_TOKEN" "$@" "$WAFLEET_API_URL$path" || true
}
sim() {
  local path=$1; shift
  curl -s --max-time 20 -w '\n%{http_code}' "$@" "$WAFLEET_SIMULATOR_ADMIN_URL$path"
}
body() { sed '$d' <<<"$1"; }
status() { tail -n 1 <<<"$1"; }

reply=$(api "/v1/accounts/$account")
[ "$(status "$reply")" = 200 ] || die "GET /v1/accounts/$account answered $(status "$reply"): $(body "$reply")"
digits=$(body "$reply" | jq -r '.phone' | tr -d '+')
masked=$(body "$reply" | jq -r '.phoneMasked')

# await_status WANT...: waits until the account's status is one of WANT; prints it.
await_status() {
  local deadline=$(( $(date +%s) + WAIT_SECONDS )) current=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    current=$(body "$(api "/v1/accounts/$account")" | jq -r '.status' 2>/dev/null || true)
    for want in "$@"; do [ "$current" = "$want" ] && { echo "$current"; return 0; }; done
    sleep 0.3
  done
  die "account $account is $current after ${WAIT_SECONDS}s, not $* (see .wafleet/run/connector.log)"
}

case "$action" in
  scan)
    code=$(status "$(sim /phones -H 'Content-Type: application/json' -d "{\"phone\":\"$digits\"}")")
    [ "$code" = 201 ] || [ "$code" = 409 ] || die "the simulator refused to create phone $masked (HTTP $code)"
    deadline=$(( $(date +%s) + WAIT_SECONDS ))
    pending_since=$(date +%s)
    while true; do
      [ "$(date +%s)" -lt "$deadline" ] || die "account $account was not paired within ${WAIT_SECONDS}s: is the connector running (.wafleet/run/connector.log)?"
      reply=$(api "/v1/accounts/$account/qr?format=json")
      case "$(status "$reply")" in
        200) pending_since=$(date +%s) ;;
        409) log "account $account is already connected"; exit 0 ;;
        202|000)
          # When nobody scans, the connector stops rotating QR codes and waits in NEEDS_QR until
          # asked again: after 20 s without a QR, ask for one with the API's reconnect command.
          if [ $(( $(date +%s) - pending_since )) -ge 20 ]; then
            view=$(body "$(api "/v1/accounts/$account")")
            if [ "$(jq -r '.status' <<<"$view" 2>/dev/null)" = NEEDS_QR ]; then
              api "/v1/accounts/$account/reconnect" -X POST >/dev/null
              log "no QR for account $account for 20 s: asked the connector for a new one"
            fi
            pending_since=$(date +%s)
          fi
          sleep 0.3; continue ;;
        *) die "GET /v1/accounts/$account/qr answered $(status "$reply"): $(body "$reply")" ;;
      esac
      qr=$(body "$reply" | jq -r '.qr')
      reply=$(sim "/phones/$digits/scan" -H 'Content-Type: application/json' -d "$(jq -cn --arg qr "$qr" '{qr: $qr}')")
      case "$(status "$reply")" in
        200) break ;;
        # The QR rotated between reading and scanning (each is valid for about 20 s): read the new one,
        # as a person scans the code the screen shows now.
        410) sleep 0.3; continue ;;
        *) die "the simulated phone could not scan the QR (HTTP $(status "$reply")): $(body "$reply")" ;;
      esac
    done
    log "phone $masked scanned the QR of account $account; waiting for it to connect"
    await_status CONNECTED >/dev/null
    log "account $account is CONNECTED"
    ;;
  unlink)
    reply=$(sim "/phones/$digits/devices")
    [ "$(status "$reply")" = 200 ] || die "the simulator knows no phone $masked (HTTP $(status "$reply"))"
    # Companion devices only (<phone>:<n>@...); device 0 is the phone itself.
    devices=$(body "$reply" | jq -r '.devices[] | select(test(":[1-9][0-9]*@"))')
    [ -n "$devices" ] || die "phone $masked has no linked device"
    for jid in $devices; do
      reply=$(sim "/devices/$jid/logout" -X POST -H 'Content-Type: application/json' -d '{}')
      [ "$(status "$reply")" = 200 ] || die "unlinking a device of $masked failed (HTTP $(status "$reply"))"
    done
    log "phone $masked removed its linked device(s); waiting for the account to show it"
    await_status LOGGED_OUT NEEDS_QR >/dev/null
    log "account $account is $(body "$(api "/v1/accounts/$account")" | jq -r '.status')"
    ;;
  *) usage ;;
esac
