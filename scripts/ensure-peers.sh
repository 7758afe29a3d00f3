#!/usr/bin/env bash
# The consent managers `make bench` measures ours against on the same page,
# in .build/peers: vanilla-cookieconsent, and tarteaucitron.js with the
# files it loads itself (its language, its services, its stylesheet).
set -euo pipefail
fetch="$(dirname "$0")/npm-fetch.sh"
"$fetch" vanilla-cookieconsent 3.1.0 0f430f4788e9a09e22e795088889b0679a88a263 \
  .build/peers/vanilla-cookieconsent "a peer of the benchmark" dist/cookieconsent.umd.js dist/cookieconsent.css
"$fetch" tarteaucitronjs 1.34.0 f5d092cea187938c2a542cb81c8bb09f7a8e4a03 \
  .build/peers/tarteaucitron "a peer of the benchmark" tarteaucitron.min.js tarteaucitron.services.min.js \
  lang/tarteaucitron.fr.min.js css/tarteaucitron.min.css
