#!/usr/bin/env bash
# axe-core, the accessibility rules the browser tests inject into the pages,
# in .build/axe.
exec "$(dirname "$0")/npm-fetch.sh" axe-core 4.14.1 14d8a6f3f085afd126b8b5ca1e42e50e17fb1d99 \
  .build/axe "the accessibility checks of the browser tests" axe.min.js
