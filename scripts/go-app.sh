#!/usr/bin/env bash
# Prepares go-app with the project's patches in DIR/go-app, and DIR/go.mod:
# the project's go.mod with go-app replaced by that copy. Every go command of
# the Makefile runs with -modfile=DIR/go.mod, so that the host, the
# WebAssembly client, vet and every test compile the same go-app source.
# Go refuses -overlay on files of the module cache, hence the copy.
#
# Every file a patch touches or removes is first checked against
# third_party/go-app/SHA256SUMS (go-app as published, at go.mod's version):
# a go-app upgrade stops here until the patches are reviewed
# (third_party/go-app/README.md says how).
#
# Usage: scripts/go-app.sh DIR [PATCH...]   (all third_party/go-app/*.patch
# when none is named; the benchmark builds with fewer to weigh each)
set -euo pipefail
out="$1"
shift
patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=(third_party/go-app/*.patch)
module=github.com/maxence-charriere/go-app/v10

# Made again only when go.mod, go.sum or the patches change.
stamp=$(cat go.mod go.sum third_party/go-app/SHA256SUMS "${patches[@]}" | sha256sum | cut -c1-64)
[ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ] && exit 0

# Go's own view of the module, not the copy's (the Makefile sets -modfile).
read -r -a flags <<<"${GOFLAGS:-}"
GOFLAGS=
for f in "${flags[@]}"; do
  case "$f" in -modfile=*) ;; *) GOFLAGS="$GOFLAGS $f" ;; esac
done
export GOFLAGS

echo "go-app: downloading it and applying the project's patches (third_party/go-app) in $out"
info=$(go mod download -json "$module")
src=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$info")
version=$(sed -n 's/^\t"Version": "\(.*\)",$/\1/p' <<<"$info")
[ -d "$src" ] || { echo "go mod download $module gave no directory: $info" >&2; exit 1; }
(cd "$src" && sha256sum --quiet --strict -c -) <third_party/go-app/SHA256SUMS || {
  echo "go-app $version is not the version third_party/go-app's patches were written for: see third_party/go-app/README.md" >&2
  exit 1
}

rm -rf "$out"
mkdir -p "$out"
cp -r "$src" "$out/go-app"
chmod -R u+w "$out/go-app"
rm -rf "$out/go-app/docs"
for patch in "${patches[@]}"; do
  for removed in $(sed -n 's/^Removes: //p' "$patch"); do
    rm "$out/go-app/$removed"
  done
  # Outside the repository (the benchmark's copies in /tmp) as inside it.
  git apply --unsafe-paths --directory="$out/go-app" "$patch"
done
cp go.sum "$out/go.sum"
# A relative replacement is relative to the module's root, not to the
# go.mod that -modfile names.
case "$out" in /*) copy="$out/go-app" ;; *) copy="./$out/go-app" ;; esac
sed "\$a replace $module => $copy" go.mod >"$out/go.mod"
echo "$stamp" >"$out/stamp"
