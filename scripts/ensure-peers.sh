#!/usr/bin/env bash
# vanilla-cookieconsent, the consent manager `make bench` measures ours
# against on the same page, in .build/peers/vanilla-cookieconsent.
exec "$(dirname "$0")/npm-fetch.sh" vanilla-cookieconsent 3.1.0 0f430f4788e9a09e22e795088889b0679a88a263 \
  .build/peers/vanilla-cookieconsent "the benchmark's peer" dist/cookieconsent.umd.js dist/cookieconsent.css
