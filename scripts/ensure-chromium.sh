#!/usr/bin/env bash
# Installs Debian's chromium package if /usr/bin/chromium is missing. Idempotent: does nothing when
# it is already there. DashboardScreenshotIT needs it (headless screenshot of /v1/dashboard.html).
# Needs root (or passwordless sudo) and access to Debian's package mirror.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "ensure-chromium: /usr/bin/chromium is already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: /usr/bin/chromium is missing and this user is not root (no passwordless sudo)." >&2
    echo "ensure-chromium: install it yourself: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: apt-get not found; install Chromium so that /usr/bin/chromium exists, then rerun." >&2
  exit 1
fi

echo "ensure-chromium: running apt-get update"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
echo "ensure-chromium: running apt-get install -y chromium"
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; then
  echo "ensure-chromium: apt-get install chromium failed; see the output above." >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: chromium installed but /usr/bin/chromium is still missing." >&2
  exit 1
fi
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
