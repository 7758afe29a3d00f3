#!/usr/bin/env bash
# Lighthouse, the benchmark's second opinion (`make bench`, `-mode
# lighthouse`), in .build/lighthouse: from the npm registry at a pinned
# version, never installed globally. Its dependencies are resolved as they
# stood when that version was published (--before), so that a later release
# of one of them does not change the scores; npm checks each tarball's
# integrity, and the one of Lighthouse itself is checked here against what
# the registry published (npm view lighthouse@VERSION dist.integrity).
# Install scripts are not run and no browser is downloaded (Lighthouse's
# puppeteer-core fetches none): the bench points it at the Chromium that
# `make test` installs (CHROME_PATH).
set -euo pipefail
version=12.8.2
published=2025-08-31 # the day after 12.8.2 was published
integrity='sha512-+5SKYzVaTFj22MgoYDPNrP9tlD2/Ay7j3SxPSFD9FpPyVxGr4UtOQGKyrdZ7wCmcnBaFk0mCkPfARU3CsE0nvA=='
dir=.build/lighthouse
[ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$version" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "the benchmark's Lighthouse runs need npm: apt-get install -y npm" >&2
  exit 1
fi
echo "installing lighthouse $version (the benchmark's second opinion) from the npm registry into $dir"
rm -rf "$dir"
mkdir -p "$dir"
npm install --prefix "$dir" --save-exact --before="$published" --ignore-scripts \
  --no-audit --no-fund --loglevel=error "lighthouse@$version" >/dev/null
got=$(node -p "require('./$dir/package-lock.json').packages['node_modules/lighthouse'].integrity")
if [ "$got" != "$integrity" ]; then
  echo "lighthouse $version: integrity $got, not the registry's $integrity: not using it" >&2
  rm -rf "$dir"
  exit 1
fi
echo "$version" >"$dir/.version"
