#!/usr/bin/env bash
# Installs the Debian packages the service needs beside Python: a CJK font for the reports it
# renders (WenQuanYi Zen Hei, TrueType, which the PDF library embeds) and Chromium, in which the
# console's browser tests run. Does nothing when they are there.
# Usage: deploy/local/packages.sh ensure
set -euo pipefail

PACKAGES=(fonts-wqy-zenhei chromium)

missing() {
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || echo "$package"
  done
}

ensure() {
  local wanted
  wanted=$(missing)
  [ -z "$wanted" ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "install these packages with your system's package manager: $wanted" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing $wanted" >&2
  # shellcheck disable=SC2086
  $sudo apt-get install -y -q --no-install-recommends $wanted >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends $wanted >/dev/null; }
}

case "${1:-ensure}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
