/**
 * `node dist/bench/claim-cpu.js [seconds] [claims a second]`: CPU per claim-and-release cycle, split
 * between the api, its PostgreSQL sessions and the load generator, on a database left by
 * `npm run bench -- --quick --keep-db`. CPU time is read from /proc, so it holds when other work
 * shares the machine (latency does not). BENCH_NODE_ARGS=--cpu-prof profiles the api.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runClaims, Listener } from './lib/claim';
import { cpuBetween, CpuSnapshot, trackCpu } from './lib/cpu';
import { HttpClient, token } from './lib/http';
import { connect, withDatabase } from './lib/pg';
import { Product, waitForHealth } from './lib/processes';
import { BENCH_PASSWORD } from './lib/world';
import { freePort, log } from './lib/util';

const ROOT = path.resolve(__dirname, '../..');
const DATABASE = 'mpc_bench';

/** Milliseconds of CPU per cycle between two snapshots, by who used it. */
function split(a: CpuSnapshot, b: CpuSnapshot, apiPid: number, cycles: number) {
  const ms = (ticks: number) => Math.round(((ticks * 10) / cycles) * 1000) / 1000;
  let api = 0;
  let generator = 0;
  let postgres = 0;
  for (const [pid, ticks] of b.ours) {
    const used = ticks - (a.ours.get(pid) ?? 0);
    if (Number(pid) === apiPid) api += used;
    else if (Number(pid) === process.pid) generator += used;
    else postgres += used;
  }
  return {
    api: ms(api),
    postgres: ms(postgres),
    generator: ms(generator),
    total: ms(api + postgres + generator),
  };
}

/** The process's user and system CPU, in clock ticks. */
function userAndSystem(pid: number): [number, number] {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(fields[11]), Number(fields[12])];
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 20);
  const rate = Number(process.argv[3] ?? 320);
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = withDatabase(serverUrl, DATABASE);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = await connect(databaseUrl);
  const staff = await db.query<{ username: string; establishments: string[] }>(
    `SELECT s.username, s.establishments::text[] AS establishments FROM staff s
     WHERE 'LISTENER' = ANY(s.roles) AND cardinality(s.establishments) = 1
       AND EXISTS (SELECT 1 FROM calls c WHERE c.status = 'PENDING' AND c.establishment_code = s.establishments[1])
     ORDER BY s.establishments[1], s.username`,
  );
  // 5 at each of 10 establishments, as the bench does.
  const byEstablishment = new Map<string, { username: string; establishments: string[] }[]>();
  for (const s of staff.rows) {
    const list = byEstablishment.get(s.establishments[0]) ?? [];
    if (list.length < 5) list.push(s);
    byEstablishment.set(s.establishments[0], list);
  }
  const chosen = [...byEstablishment.values()].slice(0, 10).flat();
  await db.query(
    `UPDATE calls SET status = 'PENDING', claimed_by = NULL, claim_token = NULL, claimed_at = NULL,
       claim_expires_at = NULL WHERE status = 'CLAIMED'`,
  );
  const api = new Product(
    'api',
    {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'mpc-bench',
      PORT: String(port),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: 'bench-admin-password',
      LOG_LEVEL: 'warn',
      RECORDINGS_DIR: path.join(ROOT, 'demo/recordings'),
      SCHEDULER_ENABLED: 'false',
    },
    (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  );
  const http = new HttpClient(baseUrl, 16);
  try {
    await waitForHealth(baseUrl, api);
    const listeners: Listener[] = [];
    for (const l of chosen)
      listeners.push({ ...l, token: await token(http, l.username, BENCH_PASSWORD) });
    log(`${listeners.length} listeners; warming up`);
    await runClaims(baseUrl, listeners, { seconds: 5, warmupSeconds: 0, ratePerListener: 2 });
    log(`api RSS ${Math.round(api.rssMb())} MB (peak ${Math.round(api.peakRssMb())} MB)`);
    const tracker = trackCpu([api.pid], DATABASE);
    const before = tracker.start;
    const apiBefore = userAndSystem(api.pid);
    const run = await runClaims(baseUrl, listeners, {
      seconds,
      warmupSeconds: 0,
      ratePerListener: rate / listeners.length,
    });
    const after = tracker.stop();
    const apiAfter = userAndSystem(api.pid);
    const cycles = run.held.length;
    log(
      `${cycles} cycles, ${run.claimsPerSecond.toFixed(0)} claims/s, p50 ${run.p50Ms.toFixed(1)} ms, ` +
        `p99 ${run.p99Ms.toFixed(1)} ms, ${run.errors} errors`,
    );
    log(`CPU ms per cycle: ${JSON.stringify(split(before, after, api.pid, cycles))}`);
    log(
      `api user ${((apiAfter[0] - apiBefore[0]) * 10) / cycles} ms, system ${((apiAfter[1] - apiBefore[1]) * 10) / cycles} ms per cycle`,
    );
    log(`api RSS ${Math.round(api.rssMb())} MB (peak ${Math.round(api.peakRssMb())} MB)`);
    log(`cores: ${JSON.stringify(cpuBetween(before, after))}`);
  } finally {
    http.close();
    await api.stop();
    if (process.env.BENCH_SHOW_OUTPUT) console.log(api.lastOutput());
    await db.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
