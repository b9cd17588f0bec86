#!/usr/bin/env bash
# npm run demo: build, migrate, seed and run the API + worker against local services.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules ]]; then
  echo "[demo] installing dependencies (npm ci)"
  npm ci
fi

# shellcheck source=scripts/ensure-services.sh
source scripts/ensure-services.sh

export JWT_SECRET="${JWT_SECRET:-dev-only-demo-jwt-secret-not-for-production-0123456789}"
export ADMIN_USERNAME="${ADMIN_USERNAME:-admin}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin-demo-password}"
export PORT="${PORT:-3000}"
export RECORDINGS_DIR="${RECORDINGS_DIR:-$PWD/demo/recordings}"

echo "[demo] building"
npm run --silent build
echo "[demo] running migrations"
npm run --silent migration:run

worker_pid=""
api_pid=""

# shellcheck disable=SC2317 # only invoked from traps
stop_all() {
  trap - INT TERM EXIT
  local pid
  for pid in "$api_pid" "$worker_pid"; do
    if [[ -n "$pid" ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "$api_pid" "$worker_pid"; do
    if [[ -n "$pid" ]]; then wait "$pid" 2>/dev/null || true; fi
  done
}
trap 'echo; echo "[demo] stopping"; stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

# The seed plays a month of history with its own clock pinned in the past: the worker (whose lease
# sweeper and schedules keep today's time) starts once that is done.
echo "[demo] seeding demo data: the world, then a month of work played through the services (about 3 minutes)"
npm run --silent seed:demo

echo "[demo] starting worker"
node dist/workers/main.js &
worker_pid=$!

echo "[demo] starting API"
node dist/src/main.js &
api_pid=$!

# Wait (up to 30s) for the API port before announcing the URL.
for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    break
  fi
  if ! kill -0 "$api_pid" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

cat <<MSG

  Demo running at http://localhost:$PORT
  Workbench:      http://localhost:$PORT/   sign in as listener1, pom1, head1 or security1
                  (password demo-password-1; the seed above lists every account)
  API docs:       http://localhost:$PORT/api/docs
  Administrator:  $ADMIN_USERNAME / $ADMIN_PASSWORD   (Ctrl-C stops API and worker)

MSG

# Exit as soon as either process stops; the EXIT trap stops the other one.
rc=0
wait -n || rc=$?
echo "[demo] a process exited (status $rc); shutting down"
exit "$rc"
