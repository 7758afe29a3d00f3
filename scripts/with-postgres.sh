#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server on a loopback port,
# with CONSENT_TEST_POSTGRES set to its URL: the receipt store is tested
# against PostgreSQL as well as SQLite. Debian's postgresql package is
# installed when missing (as root); the server and its files are gone when
# the command ends.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL is missing: installing Debian's postgresql package (the receipt tests need it)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "The receipt tests need PostgreSQL. Install it with: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
fi
dir=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: its own system user runs it.
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
port=$((20000 + RANDOM % 20000))
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
stop() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true; rm -rf "$dir"; }
trap stop EXIT
export CONSENT_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
"$@"
