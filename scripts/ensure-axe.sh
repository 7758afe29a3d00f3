#!/usr/bin/env bash
# Fetches axe-core, the accessibility rules the browser tests inject into the
# pages, from the npm registry into .build/axe, once, and checks the
# tarball's checksum against the one the registry publishes for this version.
set -euo pipefail
version=4.14.1
sha1=14d8a6f3f085afd126b8b5ca1e42e50e17fb1d99
dir=.build/axe
[ -f "$dir/axe.min.js" ] && grep -q "axe v$version" "$dir/axe.min.js" && exit 0
url="https://registry.npmjs.org/axe-core/-/axe-core-$version.tgz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching axe-core $version (accessibility checks of the browser tests) from the npm registry"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL "$url" -o "$tmp/axe.tgz"
elif command -v npm >/dev/null 2>&1; then
  (cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null && mv axe-core-*.tgz axe.tgz)
else
  echo "The accessibility tests need axe-core: install curl (apt-get install -y curl) or npm" >&2
  exit 1
fi
if [ "$(sha1sum "$tmp/axe.tgz" | cut -c1-40)" != "$sha1" ]; then
  echo "$url: checksum mismatch, not using it" >&2
  exit 1
fi
mkdir -p "$dir"
tar -xzf "$tmp/axe.tgz" -C "$tmp" package/axe.min.js
mv "$tmp/package/axe.min.js" "$dir/axe.min.js"
