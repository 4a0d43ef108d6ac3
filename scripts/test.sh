#!/usr/bin/env bash
# ./wafleet test: installs what the suite needs, then runs every test of every module.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

check_prerequisites
[ -x "$ROOT/scripts/ensure-chromium.sh" ] && "$ROOT/scripts/ensure-chromium.sh"
mapfile -t flags < <(mvn_flags)
log "running every test: mvn ${flags[*]} install"
start=$(date +%s)
set +e
mvn "${flags[@]}" install "$@"
status=$?
set -e
log "tests finished in $(( $(date +%s) - start ))s with exit code $status"
exit $status
