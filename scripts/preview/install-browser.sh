#!/usr/bin/env bash
# Installs the browser the component preview tests drive: Debian's Chromium at /usr/bin/chromium.
# Idempotent: does nothing when it is already there. Needs root (or sudo) and Debian's package repositories.
# Playwright's own browser downloads are never used (`npx playwright install` would need the internet).
set -euo pipefail

BROWSER=/usr/bin/chromium
# Liberation fonts: the metrics of Arial and friends, so pages and screenshots render the same on every machine.
FONTS=fonts-liberation

fonts_installed() {
  # Without dpkg (not Debian) there is nothing to check: the browser alone decides.
  ! command -v dpkg-query >/dev/null 2>&1 || dpkg-query -W -f='${Status}' "$FONTS" 2>/dev/null | grep -q 'install ok installed'
}

if [ -x "$BROWSER" ] && fonts_installed; then
  echo "install-browser: $BROWSER is already installed ($("$BROWSER" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install Debian's chromium package by other means so that $BROWSER exists" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser: must run as root (or with sudo available) to install chromium" >&2
    exit 1
  fi
fi

echo "install-browser: installing Debian's chromium and $FONTS (apt-get update, then apt-get install)"
if ! $SUDO apt-get update; then
  echo "install-browser: 'apt-get update' failed: check that Debian's package repositories are reachable" >&2
  exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium "$FONTS"; then
  echo "install-browser: 'apt-get install chromium' failed; see apt's messages above" >&2
  exit 1
fi

if [ ! -x "$BROWSER" ]; then
  echo "install-browser: chromium was installed but $BROWSER does not exist" >&2
  exit 1
fi
echo "install-browser: installed $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")"
