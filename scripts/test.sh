#!/usr/bin/env bash
# npm test: build, make sure PostgreSQL/Redis are up, run jest serially.
# Extra arguments are passed to jest, e.g. npm test -- --selectProjects unit
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules ]]; then
  echo "[test] installing dependencies (npm ci)"
  npm ci
fi

# Tests create and drop their own databases through this connection.
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
# shellcheck source=scripts/ensure-services.sh
source scripts/ensure-services.sh
# The browser tests need Debian's Chromium (installed when missing).
# shellcheck source=scripts/ensure-chromium.sh
source scripts/ensure-chromium.sh

npm run --silent build

rc=0
npx jest --runInBand "$@" || rc=$?
if [[ $# -eq 0 && $rc -eq 0 ]]; then
  # The api must work on a single pooled connection: any request that needs a second one while
  # holding the first (a query on the pool inside a transaction) hangs here instead of under load.
  echo "[test] the HTTP suites again with DB_POOL_SIZE=1"
  DB_POOL_SIZE=1 npx jest --runInBand test/e2e/ test/web/ --selectProjects integration || rc=$?
fi
exit "$rc"
