#!/usr/bin/env bash
# The project's test command: installs what the browser tests need on a fresh
# Debian machine (Chromium, a Java runtime for the W3C HTML checker, the npm packages),
# then runs the Rust tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --silent

cargo test
npm test
