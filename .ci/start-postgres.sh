#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the registry tests on 127.0.0.1 and a free port, installing the
# server from Debian packages when it is missing. Idempotent: a cluster this script started and that still
# answers is reused. Prints the connection URI on stdout (the only stdout line); progress goes to stderr.
# `start-postgres.sh --stop` stops the cluster and removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
# One cluster per checkout, so two checkouts testing at once do not share databases. /tmp rather than $TMPDIR:
# the postgres user must be able to reach it.
state_dir=${QP_PG_STATE_DIR:-/tmp/qp-ci-postgres-$(pwd | md5sum | cut -c1-8)}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin || true)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "--stop" ]; then
  if [ -n "$bin" ] && [ -d "$state_dir/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$state_dir/data" -m fast stop >&2 || true
  fi
  rm -rf "$state_dir"
  exit 0
fi

if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing postgresql from Debian packages (registry tests need a server)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
  else
    echo "postgresql is not installed and this user cannot apt-get install it" >&2
    exit 1
  fi
fi

# The server refuses to run as root, so as root the cluster belongs to the postgres user (created by the package).
owner=$(id -un)
[ "$(id -u)" = 0 ] && owner=postgres

if [ -f "$state_dir/uri" ] && as_postgres "$bin/pg_ctl" -D "$state_dir/data" status >/dev/null 2>&1; then
  cat "$state_dir/uri"
  exit 0
fi

rm -rf "$state_dir"
mkdir -p "$state_dir"
chown "$owner" "$state_dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-40000 -n 1)
as_postgres "$bin/initdb" -D "$state_dir/data" -U qp --auth=trust -E UTF8 --locale=C.UTF-8 >"$state_dir/initdb.log" 2>&1 \
  || as_postgres "$bin/initdb" -D "$state_dir/data" -U qp --auth=trust -E UTF8 --no-locale >"$state_dir/initdb.log" 2>&1
as_postgres "$bin/pg_ctl" -D "$state_dir/data" -l "$state_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $state_dir -c max_connections=200 -c fsync=off" start >&2
as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U qp qp_test >&2
uri="postgresql://qp@127.0.0.1:$port/qp_test"
echo "$uri" >"$state_dir/uri"
echo "$uri"
