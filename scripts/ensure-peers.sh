#!/usr/bin/env bash
# Fetches the consent manager `make bench` measures ours against,
# vanilla-cookieconsent, from the npm registry into .build/peers, once, and
# checks the tarball's checksum against the one the registry publishes for
# this version.
set -euo pipefail
version=3.1.0
sha1=0f430f4788e9a09e22e795088889b0679a88a263
dir=.build/peers/vanilla-cookieconsent
[ -f "$dir/$version" ] && exit 0
url="https://registry.npmjs.org/vanilla-cookieconsent/-/vanilla-cookieconsent-$version.tgz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching vanilla-cookieconsent $version (the benchmark's peer) from the npm registry"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL "$url" -o "$tmp/peer.tgz"
elif command -v npm >/dev/null 2>&1; then
  (cd "$tmp" && npm pack --silent "vanilla-cookieconsent@$version" >/dev/null && mv vanilla-cookieconsent-*.tgz peer.tgz)
else
  echo "The benchmark needs vanilla-cookieconsent: install curl (apt-get install -y curl) or npm" >&2
  exit 1
fi
if [ "$(sha1sum "$tmp/peer.tgz" | cut -c1-40)" != "$sha1" ]; then
  echo "$url: checksum mismatch, not using it" >&2
  exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tmp/peer.tgz" -C "$tmp" package/dist/cookieconsent.umd.js package/dist/cookieconsent.css
mv "$tmp"/package/dist/* "$dir/"
touch "$dir/$version"
