#!/usr/bin/env bash
# Fetches files of one npm package into DIR, once: the version's tarball from
# the npm registry, checked against the SHA-1 the registry publishes for it
# (npm view NAME@VERSION dist.shasum), then the files named, at their path
# in the package. WHY says what they are for, in the messages.
#
# Usage: scripts/npm-fetch.sh NAME VERSION SHA1 DIR WHY FILE...
set -euo pipefail
name="$1" version="$2" sha1="$3" dir="$4" why="$5"
shift 5
[ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$version" ] && exit 0
url="https://registry.npmjs.org/$name/-/${name##*/}-$version.tgz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching $name $version ($why) from the npm registry"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL "$url" -o "$tmp/package.tgz"
elif command -v npm >/dev/null 2>&1; then
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null && mv ./*.tgz package.tgz)
else
  echo "$why needs $name: install curl (apt-get install -y curl) or npm" >&2
  exit 1
fi
if [ "$(sha1sum "$tmp/package.tgz" | cut -c1-40)" != "$sha1" ]; then
  echo "$url: checksum mismatch, not using it" >&2
  exit 1
fi
tar -xzf "$tmp/package.tgz" -C "$tmp" "${@/#/package/}"
rm -rf "$dir"
mkdir -p "$dir"
for file in "$@"; do
  mkdir -p "$dir/$(dirname "$file")"
  mv "$tmp/package/$file" "$dir/$file"
done
echo "$version" >"$dir/.version"
