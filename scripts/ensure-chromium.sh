#!/usr/bin/env bash
# shellcheck shell=bash
#
# The browser tests (test/browser) drive Debian's Chromium at /usr/bin/chromium (CHROMIUM_PATH
# overrides it). Install it from Debian's packages when it is missing.
#
#   source scripts/ensure-chromium.sh
#
# Needs root or sudo to install; with neither, it says the one command to run and fails.

_mpc_chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$_mpc_chromium" ]]; then
  printf '[chromium] %s is missing: installing Debian'"'"'s chromium for the browser tests\n' "$_mpc_chromium" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    _mpc_as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    _mpc_as_root=(sudo)
  else
    printf '[chromium] run as root: apt-get install -y chromium\n' >&2
    return 1 2>/dev/null || exit 1
  fi
  "${_mpc_as_root[@]}" apt-get update -qq
  "${_mpc_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  printf '[chromium] %s\n' "$("$_mpc_chromium" --version 2>/dev/null)" >&2
fi
