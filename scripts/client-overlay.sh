#!/usr/bin/env bash
# Prepares the WebAssembly client's build without go-app's server half.
#
# go-app's pkg/app/http.go (its HTTP handler) has no build tag, so every
# client links net/http, crypto/tls and crypto/x509 for nothing: about
# 0.34 MB with brotli. `go build -overlay` leaves it out without forking
# go-app, but Go refuses overlays on files of the module cache, so this script
# copies go-app (pristine) into $out, points a build-only go.mod at the copy,
# and writes the overlay: http.go removed, wasm.go and resource.go replaced by
# the versions in cmd/consent-wasm/overlay/ (the same files minus what names
# the handler or net/http), route.go by one without regular expressions. The
# files replaced are checked against the ones the overlay was written for: a
# go-app upgrade stops the build here.
set -euo pipefail
out="$1"
module=github.com/maxence-charriere/go-app/v10
goapp=$(go list -m -f '{{.Dir}}' "$module")
here=$(pwd)
overlay="$here/cmd/consent-wasm/overlay"
check() {
  local file="$1" want="$2" got
  got=$(sha256sum "$goapp/pkg/app/$file" | cut -c1-64)
  if [ "$got" != "$want" ]; then
    echo "go-app's pkg/app/$file is not the one cmd/consent-wasm/overlay was written for (v10.1.11): review the overlay, then update the checksum in $0" >&2
    exit 1
  fi
}
check wasm.go 10117b07fb7147cdfcd97d1e07cd010da30914e2a622b73d0242b5d9019796f8
check resource.go 6b52ab4ec2f4171d403384bffe159e9ec22699933e768ef5868f2851a1b84baa
check route.go 3252c7f2876cba69c3fbb203b0b4d5770ddd4651cdaf3ad69e5c33bfd1ccf5bd
rm -rf "$out"
mkdir -p "$out"
cp -r "$goapp" "$out/go-app"
chmod -R u+w "$out/go-app"
cp go.mod "$out/go.mod"
cp go.sum "$out/go.sum"
echo "replace $module => $here/$out/go-app" >> "$out/go.mod"
app="$here/$out/go-app/pkg/app"
cat > "$out/overlay.json" <<JSON
{"Replace": {
  "$app/http.go": "",
  "$app/wasm.go": "$overlay/wasm.go.txt",
  "$app/resource.go": "$overlay/resource.go.txt",
  "$app/route.go": "$overlay/route.go.txt"
}}
JSON
