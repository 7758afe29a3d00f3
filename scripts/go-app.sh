#!/usr/bin/env bash
# go-app as this project builds it: third_party/go-app/v10 is go-app at the
# version go.mod requires, with the patches third_party/go-app/*.patch
# applied, holding only what our builds compile (go.mod, LICENSE, and the
# files of the go-app packages the project imports, tests included, for
# linux and for js/wasm). go.mod replaces go-app by that copy, so that every
# go command (the Makefile's, go build, go test, go install, gopls) builds
# the patched go-app.
#
# Every file a patch touches or removes is first checked against
# third_party/go-app/SHA256SUMS (go-app as published, at go.mod's version):
# a go-app upgrade stops here until the patches are reviewed
# (third_party/go-app/README.md says how). Go's checksum database vouches
# for the rest of the downloaded module.
#
# Usage:
#   scripts/go-app.sh          rewrites third_party/go-app/v10
#   scripts/go-app.sh -check   makes it again in a temporary folder and fails
#                              if the committed copy differs (make test)
#   scripts/go-app.sh -variant DIR [PATCH...]
#                              for the benchmark, which weighs the patches one
#                              by one: DIR/go-app with only the patches named
#                              and DIR/go.mod, DIR/go.sum, for
#                              go build -modfile=DIR/go.mod. With no patch,
#                              DIR/go.mod has no replace: go-app as published.
set -euo pipefail
module=github.com/maxence-charriere/go-app/v10
copy=third_party/go-app/v10

mode=write
case "${1:-}" in
-check) mode=check ;;
-variant)
  mode=variant
  [ $# -ge 2 ] || { echo "usage: scripts/go-app.sh -variant DIR [PATCH...]" >&2; exit 2; }
  mkdir -p "$2"
  variant=$(cd "$2" && pwd)
  shift 2
  patches=()
  for p in "$@"; do patches+=("$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"); done
  ;;
"") ;;
*) echo "usage: scripts/go-app.sh [-check | -variant DIR [PATCH...]]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
root=$PWD
[ "$mode" = variant ] || patches=("$root"/third_party/go-app/*.patch)

# Go's own view of the module: no -modfile from the environment.
read -r -a flags <<<"${GOFLAGS:-}"
GOFLAGS=
for f in "${flags[@]}"; do
  case "$f" in -modfile=*) ;; *) GOFLAGS="$GOFLAGS $f" ;; esac
done
export GOFLAGS

version=$(sed -n -E "s#^(require)?[[:space:]]+${module//./\\.}[[:space:]]+(v[^[:space:]]+).*#\2#p" go.mod)
[ "$(wc -w <<<"$version")" = 1 ] || { echo "go.mod does not require one version of $module: '$version'" >&2; exit 1; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# go-app as published. Outside any module, so that go.mod's replace does not
# stand in for it, and checked by Go against its checksum database.
info=$(cd "$work" && GOFLAGS= GO111MODULE=on go mod download -json "$module@$version") || {
  echo "go mod download $module@$version failed: $info" >&2
  exit 1
}
field() { sed -n "s/^\t\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" <<<"$info"; }
src=$(field Dir)
[ -d "$src" ] || { echo "go mod download $module@$version gave no directory: $info" >&2; exit 1; }
(cd "$src" && sha256sum --quiet --strict -c -) <third_party/go-app/SHA256SUMS || {
  echo "go-app $version is not the version third_party/go-app's patches were written for: see third_party/go-app/README.md" >&2
  exit 1
}

# $1: go-app with the patches applied, documentation left out.
patched() {
  cp -r "$src" "$1"
  chmod -R u+w "$1"
  rm -rf "$1/docs"
  for patch in "${patches[@]}"; do
    for removed in $(sed -n 's/^Removes: //p' "$patch"); do
      rm "$1/$removed"
    done
    # Outside the repository (the temporary folder) as inside it.
    git apply --unsafe-paths --directory="$1" "$patch"
  done
}

if [ "$mode" = variant ]; then
  rm -rf "$variant/go-app"
  cp go.sum "$variant/go.sum"
  if [ ${#patches[@]} -eq 0 ]; then
    go mod edit -dropreplace="$module" -print >"$variant/go.mod"
    printf '%s %s %s\n%s %s/go.mod %s\n' "$module" "$version" "$(field Sum)" "$module" "$version" "$(field GoModSum)" >>"$variant/go.sum"
  else
    patched "$variant/go-app"
    go mod edit -replace="$module=$variant/go-app" -print >"$variant/go.mod"
  fi
  exit 0
fi

# The files our builds compile: go list of every package of the project and
# of its tests, against the whole patched go-app, for the host (linux) and
# for the client (js/wasm); -e because some packages build for one of them
# only; -mod=mod lets a new go-app's requirements into $work's go.mod and
# go.sum, not the project's.
patched "$work/full"
go mod edit -replace="$module=$work/full" -print >"$work/go.mod"
cp go.sum "$work/go.sum"
files=$(for target in linux/amd64 js/wasm; do
  GOOS=${target%/*} GOARCH=${target#*/} go list -modfile="$work/go.mod" -mod=mod -e -deps -test \
    -f '{{with .Module}}{{if eq .Path "'"$module"'"}}{{$.Dir}}{{range $.GoFiles}} {{.}}{{end}}{{range $.CgoFiles}} {{.}}{{end}}{{range $.SFiles}} {{.}}{{end}}{{range $.EmbedFiles}} {{.}}{{end}}{{end}}{{end}}' ./...
done | while read -r dir names; do
  for name in $names; do echo "${dir#"$work/full/"}/$name"; done
done | sort -u)
[ -n "$files" ] || { echo "go list found no go-app package in the project" >&2; exit 1; }

out="$work/v10"
mkdir "$out"
for f in go.mod LICENSE $files; do
  mkdir -p "$out/$(dirname "$f")"
  cp "$work/full/$f" "$out/$f"
done

if [ "$mode" = check ]; then
  if ! diff -ru "$copy" "$out" >"$work/diff"; then
    sed -e "s#$work/v10#(made again)#" "$work/diff" | head -n 60 >&2
    cat >&2 <<EOF
$copy is not go-app $version with third_party/go-app/*.patch applied, as
scripts/go-app.sh makes it: it was edited by hand, or a patch, go.mod's go-app
version or the go-app packages the project imports changed without running
scripts/go-app.sh. A change to go-app goes in a patch (third_party/go-app/README.md);
then run scripts/go-app.sh and commit $copy.
EOF
    exit 1
  fi
  echo "$copy is go-app $version with the patches of third_party/go-app ($(wc -l <<<"$files") Go files)"
  exit 0
fi

rm -rf "$copy"
cp -r "$out" "$copy"
echo "wrote $copy: go-app $version, ${#patches[@]} patches, $(wc -l <<<"$files") Go files"
