#!/usr/bin/env bash
# Starts a throw-away Redis server for the cluster's Redis membership tests on 127.0.0.1 and a free port, installing
# it from Debian packages when it is missing. Idempotent: a server this script started and that still answers is
# reused. Prints the URI (redis://127.0.0.1:PORT) on stdout (the only stdout line); progress goes to stderr.
# `start-redis.sh --stop` stops the server and removes its state.
set -euo pipefail
cd "$(dirname "$0")/.."
# One server per checkout, so two checkouts testing at once do not share a membership store.
state_dir=${QP_REDIS_STATE_DIR:-/tmp/qp-ci-redis-$(pwd | md5sum | cut -c1-8)}

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$state_dir/redis.pid" ]; then
    kill "$(cat "$state_dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$state_dir"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server from Debian packages (the Redis membership test needs a server)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is not installed and this user cannot apt-get install it" >&2
    exit 1
  fi
fi

if [ -f "$state_dir/uri" ] && [ -f "$state_dir/redis.pid" ] && kill -0 "$(cat "$state_dir/redis.pid")" 2>/dev/null; then
  cat "$state_dir/uri"
  exit 0
fi

rm -rf "$state_dir"
mkdir -p "$state_dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-40000 -n 1)
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$state_dir" \
  --daemonize yes --pidfile "$state_dir/redis.pid" --logfile "$state_dir/server.log" >&2
for _ in $(seq 1 50); do
  if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
    uri="redis://127.0.0.1:$port"
    echo "$uri" >"$state_dir/uri"
    echo "$uri"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:$port; see $state_dir/server.log" >&2
exit 1
