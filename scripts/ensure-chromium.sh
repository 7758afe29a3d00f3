#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests, installing it
# when this machine can (root with apt-get); says what to do otherwise.
set -euo pipefail
for bin in chromium chromium-browser google-chrome; do
  if command -v "$bin" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package (the browser tests need it)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null && exit 0
fi
echo "The browser tests need Chromium. Install it with: sudo apt-get install -y chromium" >&2
exit 1
