#!/usr/bin/env bash
# Prints Go's wasm_exec.js (path in $1) changed so that, on a portal's page,
# the globals it creates (fs, process, path, Go) can be deleted once Go has
# started (web/embed.js does it): Go's syscall package reads fs, process and
# path while it initialises, but wasm_exec.js itself would look fs up again
# on every write to stdout or stderr (a panic's trace, say); it keeps its own
# reference instead. A page's scripts that test `typeof process` then never
# see Go's stub.
#
# Each change must match exactly once: a Go upgrade that moves these lines
# stops the build here instead of shipping a client that leaks or breaks.
set -euo pipefail
src="$1"
for needle in 'if (!globalThis.process) {' 'fs.writeSync(fd, '; do
  n=$(grep -cF "$needle" "$src" || true)
  if [ "$n" != 1 ]; then
    echo "$src: expected \"$needle\" once, found it $n times: review scripts/private-wasm-exec.sh for this Go version" >&2
    exit 1
  fi
done
sed -e 's/^\(\s*\)if (!globalThis\.process) {/\1const goFS = globalThis.fs;\n\1if (!globalThis.process) {/' \
    -e 's/\bfs\.writeSync(fd, /goFS.writeSync(fd, /' "$src"
