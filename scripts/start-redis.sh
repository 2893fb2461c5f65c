#!/usr/bin/env bash
# Starts a throwaway redis-server on 127.0.0.1 for local runs and CI, and prints its URL.
#   scripts/start-redis.sh [PORT]      (default 6379; REDIS_DIR for its data, default a temp dir)
# Stop it with: redis-cli -p PORT shutdown nosave
# The test suite does not need this: test/adapters/redis starts its own servers on free ports.
set -euo pipefail

port="${1:-${REDIS_PORT:-6379}}"
if ! command -v redis-server >/dev/null 2>&1; then
  echo "start-redis: redis-server is not installed (Debian: apt-get install -y redis-server)" >&2
  exit 1
fi
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "start-redis: something already answers on 127.0.0.1:$port" >&2
  echo "redis://127.0.0.1:$port"
  exit 0
fi
dir="${REDIS_DIR:-$(mktemp -d -t medic-redis.XXXXXX)}"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  --daemonize yes --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
for _ in $(seq 1 50); do
  if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "redis://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "start-redis: redis-server did not answer on port $port within 5 s; log: $dir/redis.log" >&2
exit 1
