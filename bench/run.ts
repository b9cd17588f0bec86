/**
 * `npm run bench [-- --quick] [-- --keep-db]`: national-scale benchmarks of the real api and worker.
 *
 * Builds its own database (mpc_bench, dropped and recreated) with the demo generator at scale, runs
 * the compiled api and worker as child processes, measures ingest, triage, claim, the backlog
 * summary, re-scoring and peak memory, each against a baseline or target taken in the same run,
 * prints a table and writes bench/results/latest.json (latest-quick.json with --quick). See
 * bench/PERFORMANCE.md for what each figure means.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DemoWorld } from '../src/demo/demo-world';
import { WORK_QUEUE } from '../src/jobs/jobs';
import {
  ClaimPlan,
  ClaimRun,
  countDoubleClaims,
  DoubleClaims,
  explainClaim,
  installClaimLog,
  Listener,
  removeClaimLog,
  runClaims,
} from './lib/claim';
import { cpuBetween, cpuMsPer, trackCpu } from './lib/cpu';
import { autovacuumOn, AutovacuumState, tableStatistics } from './lib/autovacuum';
import { growHistory, parkNonPending, setPendingCount, unpark, vacuumAnalyze } from './lib/grow';
import { HttpClient, token } from './lib/http';
import { copyBaseline, ingestOverHttp, prepareCalls, waitForTriage } from './lib/ingest';
import { measureWideReads, wideReads } from './lib/memory';
import { measureRescore, measureSummary } from './lib/oversight';
import { connect, dropDatabase, recreateDatabase, scalar, withDatabase } from './lib/pg';
import { Product, waitForHealth } from './lib/processes';
import { daysFor, FULL, QUICK, Scale } from './lib/scale';
import { freePort, log, round, table, thousands } from './lib/util';
import { checkWorkingDay, measureWorkingDay, workingDayRows } from './lib/working-day';
import { BENCH_PASSWORD, buildWorld, loadReferenceData } from './lib/world';

const ROOT = path.resolve(__dirname, '../..');
const DATABASE = 'mpc_bench';
const QUEUE_PREFIX = 'mpc-bench';
const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };
/** Claims a second per listener in the light-load run (2 × 50 = 100 a second). */
const LIGHT_RATE_PER_LISTENER = 2;

type MeasuredRun = ClaimRun & {
  cpu: ReturnType<typeof cpuBetween>;
  /** CPU ms per claim-and-release cycle of the api, the worker, PostgreSQL and the load generator. */
  cpuMsPerCycle: Record<string, number>;
};

interface Targets {
  [name: string]: { target: string; value: number; met: boolean };
}

/** Every establishment's releaseCooldownMinutes: `null` back to the default. */
async function setReleaseCooldown(db: Client, minutes: number | null): Promise<void> {
  await db.query(
    minutes === null
      ? `UPDATE establishments SET settings = settings - 'releaseCooldownMinutes'`
      : `UPDATE establishments SET settings = settings || jsonb_build_object('releaseCooldownMinutes', $1::int)`,
    minutes === null ? [] : [minutes],
  );
}

async function clearRedis(url: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** The listeners who claim: `perEstablishment` at each of `count` establishments spread over the world. */
function claimListeners(world: DemoWorld, scale: Scale): Omit<Listener, 'token'>[] {
  const perEstablishment = Math.ceil(scale.listeners / scale.listenerEstablishments);
  const out: Omit<Listener, 'token'>[] = [];
  for (let k = 0; k < scale.listenerEstablishments && out.length < scale.listeners; k++) {
    const code =
      world.establishments[
        Math.floor((k * world.establishments.length) / scale.listenerEstablishments)
      ].code;
    const here = world.staff.filter(
      (s) => s.roles.includes('LISTENER') && s.establishments.includes(code),
    );
    for (const s of here.slice(0, perEstablishment)) {
      if (out.length < scale.listeners)
        out.push({ username: s.username, establishments: s.establishments });
    }
  }
  return out;
}

async function machine(db: Client, redisUrl: string) {
  const settings = await db.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('shared_buffers', 'work_mem', 'max_connections', 'autovacuum', 'synchronous_commit', 'fsync', 'max_wal_size')`,
  );
  const version = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  const info = await redis.info('server');
  redis.disconnect();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: version.rows[0].v,
    postgresSettings: Object.fromEntries(
      settings.rows.map((r) => [
        r.name,
        r.unit === '8kB'
          ? `${(Number(r.setting) * 8) / 1024} MB`
          : `${r.setting}${r.unit ? ` ${r.unit}` : ''}`,
      ]),
    ),
    loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    local: 'PostgreSQL, Redis, the api, the worker and the load generator on the same machine',
  };
}

function claimSummary(run: MeasuredRun, listeners: number) {
  return {
    cpuCores: run.cpu,
    cpuMsPerCycle: run.cpuMsPerCycle,
    offeredPerSecond: run.ratePerListener ? run.ratePerListener * listeners : 'as fast as answered',
    claimsPerSecond: round(run.claimsPerSecond, 1),
    p50Ms: round(run.p50Ms, 2),
    p99Ms: round(run.p99Ms, 2),
    maxMs: round(run.maxMs, 1),
    releaseP50Ms: round(run.releaseP50Ms, 2),
    claims: run.claims,
    empty: run.empty,
    errors: run.errors,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const scale = args.includes('--quick') ? QUICK : FULL;
  const keepDb = args.includes('--keep-db');
  const serverUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = withDatabase(serverUrl, DATABASE);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const productEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX,
    PORT: String(port),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    RECORDINGS_DIR: path.join(ROOT, 'demo/recordings'),
    // Housekeeping ticks (snapshots, retention, risk flags) would land in the middle of measurements.
    SCHEDULER_ENABLED: 'false',
  };
  // Overrides for experiments, e.g. BENCH_DB_POOL_SIZE=20, or BENCH_NODE_ARGS=--cpu-prof to profile.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  for (const key of ['DB_POOL_SIZE', 'TRIAGE_CHUNK_SIZE', 'WORKER_CONCURRENCY']) {
    const v = process.env[`BENCH_${key}`];
    if (v) productEnv[key] = v;
  }

  log(`mode ${scale.mode}: database ${DATABASE}, api on port ${port}`);
  const processes: Product[] = [];
  // Interrupted: stop the api and worker this run started, then leave with the signal's status.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the api and worker`);
      void Promise.all(processes.map((p) => p.stop())).finally(() => process.exit(130));
    });
  }
  let db: Client | null = null;
  let autovacuum: AutovacuumState | null = null;
  const http = new HttpClient(baseUrl, 128);
  // Read-only look at the work queue (job counts), to know when the worker is idle.
  const jobsConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const jobs = new Queue(WORK_QUEUE, { connection: jobsConnection, prefix: QUEUE_PREFIX });
  /** Runs a measured phase and notes the cores it and everything else on the machine used. */
  const withCpu = async <T>(work: () => Promise<T>) => {
    const tracker = trackCpu(
      processes.map((p) => p.pid),
      DATABASE,
    );
    const before = tracker.start;
    const result = await work();
    const after = tracker.stop();
    const cpu = cpuBetween(before, after);
    /** CPU ms per unit of work (e.g. per claim cycle), by process. */
    const perUnit = (units: number) =>
      cpuMsPer(before, after, Object.fromEntries(processes.map((p) => [p.name, p.pid])), units);
    return { result, cpu, perUnit };
  };
  const memory = (phase: string) =>
    log(
      `memory after ${phase}: ` +
        processes
          .map(
            (p) => `${p.name} ${Math.round(p.rssMb())} MB (peak ${Math.round(p.peakRssMb())} MB)`,
          )
          .join(', '),
    );
  try {
    await clearRedis(redisUrl);
    await recreateDatabase(serverUrl, DATABASE);
    autovacuum = await autovacuumOn(serverUrl);
    const migrate = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/db/migrate.js')], {
      env: { ...productEnv },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`Migration failed: ${migrate.stderr}`);
    log(migrate.stdout.trim());
    db = await connect(databaseUrl);
    // Until the claim's plan is checked on statistics as stale as a bulk load leaves them: autovacuum
    // (on, as in production) has not reached the table yet, the worst case.
    await db.query(`ALTER TABLE calls SET (autovacuum_enabled = false)`);

    // The world: reference data set-based, then the calls prepared before any clock starts.
    const worldNow = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const world = buildWorld(
      {
        establishments: scale.establishments,
        prisonersPerEstablishment: scale.prisonersPerEstablishment,
        monitoredShare: scale.monitoredShare,
        days: daysFor(scale),
      },
      worldNow,
    );
    log(
      `world: ${world.establishments.length} establishments, ${world.prisoners.length} prisoners, ` +
        `${world.authorisations.length} on monitoring`,
    );
    await loadReferenceData(db, world);
    const calls = prepareCalls(world, scale.ingestCalls, scale.batchSize, {
      calls: scale.feedCalls,
      batchSize: 200,
    });
    log(`${calls.count} calls prepared in ${calls.bodies.length} batches`);

    // 1. Ingest, against COPY of the same rows.
    const copy = await copyBaseline(db, calls);
    const api = new Product('api', productEnv, nodeArgs);
    processes.push(api);
    await waitForHealth(baseUrl, api);
    const feedToken = await token(http, 'feed', BENCH_PASSWORD);
    memory('api start');
    log(`ingest: ${calls.count} calls, ${scale.batchSize} a request, ${scale.senders} senders`);
    const { result: ingest, cpu: ingestCpu } = await withCpu(() =>
      ingestOverHttp(http, feedToken, calls, scale.senders),
    );
    log(
      `ingest: ${Math.round(ingest.callsPerSecond)} calls/s (${ingest.seconds.toFixed(1)} s; ` +
        `request p50 ${ingest.requestP50Ms.toFixed(0)} ms, p99 ${ingest.requestP99Ms.toFixed(0)} ms)`,
    );
    calls.bodies.length = 0;
    calls.copyChunks.length = 0;
    memory('ingest');

    // 2. Triage: the worker starts with every batch's job waiting.
    const worker = new Product('worker', productEnv, nodeArgs);
    processes.push(worker);
    const { result: triage, cpu: triageCpu } = await withCpu(() =>
      waitForTriage(db!, ingest.accepted, 3_600_000),
    );
    log(`triage: ${Math.round(triage.callsPerSecond)} calls/s (${triage.seconds.toFixed(1)} s)`);
    memory('triage');
    const statuses = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM calls GROUP BY status ORDER BY n DESC`,
    );
    log(`statuses: ${statuses.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);

    // The claim's plan after the bulk load, on whatever statistics the product itself left.
    const chosen = claimListeners(world, scale);
    const staleStatistics = await tableStatistics(db, 'calls');
    const stalePlan = await explainClaim(db, { ...chosen[0], token: '' });
    log(
      `claim plan after ingest, no ANALYZE by the benchmark (statistics ${JSON.stringify(staleStatistics)}): ` +
        `${stalePlan.usesIndex && !stalePlan.sortsPendingSet ? 'index walk' : `NOT an index walk:\n${stalePlan.text}`}`,
    );
    await db.query(`ALTER TABLE calls RESET (autovacuum_enabled)`);

    // 3. Claim at three table sizes with the same queue.
    const listeners: Listener[] = [];
    for (const l of chosen)
      listeners.push({ ...l, token: await token(http, l.username, BENCH_PASSWORD) });
    log(
      `${listeners.length} listeners at ${new Set(listeners.flatMap((l) => l.establishments)).size} establishments`,
    );
    memory('sign-in');
    // The claim runs claim and at once release, a device to hand the call back, not a listener's
    // release: with the cool-down on, each listener would walk past every call they had handed back
    // in the hour, thousands of them, which no listener does (a release is a few a shift). The
    // cool-down is off for them and back on for the busy hour, whose listeners claim and log.
    await setReleaseCooldown(db, 0);
    await setPendingCount(db, scale.pending);
    const rowsAt: number[] = [];
    const paced: MeasuredRun[] = [];
    const doubles: DoubleClaims[] = [];
    const plans: ClaimPlan[] = [];
    let saturation: MeasuredRun | null = null;
    let light: MeasuredRun | null = null;
    /** One more claim run on the same table, its CPU and its double claims, logged. */
    const extraRun = async (
      label: string,
      ratePerListener: number | null,
    ): Promise<MeasuredRun> => {
      await db!.query('TRUNCATE bench_claim_log');
      const measured = await withCpu(() =>
        runClaims(baseUrl, listeners, {
          seconds: scale.claimSeconds,
          warmupSeconds: scale.warmupSeconds,
          ratePerListener,
        }),
      );
      const run = {
        ...measured.result,
        cpu: measured.cpu,
        cpuMsPerCycle: measured.perUnit(measured.result.held.length),
      };
      doubles.push(await countDoubleClaims(db!, run.held));
      log(
        `claim ${label}: ${run.claimsPerSecond.toFixed(0)} claims/s, ` +
          `p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms; ` +
          `double claims ${JSON.stringify(doubles[doubles.length - 1])}`,
      );
      return run;
    };
    const measureClaims = async (label: string, withSaturation: boolean) => {
      const rows = await scalar(db!, `SELECT count(*)::int AS n FROM calls`);
      rowsAt.push(rows);
      await installClaimLog(db!);
      await db!.query('TRUNCATE bench_claim_log');
      const {
        result: run,
        cpu,
        perUnit,
      } = await withCpu(() =>
        runClaims(baseUrl, listeners, {
          seconds: scale.claimSeconds,
          warmupSeconds: scale.warmupSeconds,
          ratePerListener: scale.claimRatePerListener,
        }),
      );
      const cpuMsPerCycle = perUnit(run.held.length);
      paced.push({ ...run, cpu, cpuMsPerCycle });
      doubles.push(await countDoubleClaims(db!, run.held));
      log(
        `claim at ${thousands(rows)} rows (${label}): ${run.claimsPerSecond.toFixed(0)} claims/s, ` +
          `p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, max ${run.maxMs.toFixed(0)} ms, ` +
          `${run.empty} empty, ${run.errors} errors; cores ${JSON.stringify(cpu)}; ` +
          `CPU ms per cycle ${JSON.stringify(cpuMsPerCycle)}; ` +
          `double claims ${JSON.stringify(doubles[doubles.length - 1])}`,
      );
      if (withSaturation) {
        // The same listeners back to back (the capacity), then at a third of the offered rate (the
        // path's latency when nothing queues).
        saturation = await extraRun('at saturation', null);
        light = await extraRun('at a light load', LIGHT_RATE_PER_LISTENER);
      }
      await removeClaimLog(db!);
      const pendingNow = await scalar(
        db!,
        `SELECT count(*)::int AS n FROM calls WHERE status = 'PENDING'`,
      );
      if (pendingNow !== scale.pending) log(`warning: ${pendingNow} pending after the claims`);
      await vacuumAnalyze(db!);
      const plan = await explainClaim(db!, listeners[0]);
      plans.push(plan);
      if (!plan.usesIndex || plan.sortsPendingSet)
        log(`WARNING: the claim's plan at ${rows} rows is not an index walk:\n${plan.text}`);
    };

    await vacuumAnalyze(db);
    const small = await parkNonPending(db);
    log(`calls table holds only the queue: ${small} rows`);
    await measureClaims('queue only', false);
    const middle = await unpark(db);
    log(`calls table back to ${middle} rows`);
    await measureClaims('after ingest', true);
    const big = await growHistory(db, scale.claimRows[2], 5);
    log(`calls table grown to ${big} rows`);
    await measureClaims('with history', false);

    memory('claims');

    // 4. Backlog summary at the largest size.
    const summaryEstablishment = listeners[0].establishments[0];
    const head = world.staff.find(
      (s) => s.roles.includes('HEAD_OF_OMU') && s.establishments.includes(summaryEstablishment),
    )!;
    const summary = await measureSummary(
      http,
      db,
      await token(http, head.username, BENCH_PASSWORD),
      summaryEstablishment,
      scale.summaryRequests,
    );
    log(
      `backlog summary (${summaryEstablishment}, ${thousands(summary.rows)} rows): ` +
        `p50 ${summary.p50Ms.toFixed(1)} ms, p95 ${summary.p95Ms.toFixed(1)} ms`,
    );

    // 5. Re-score after a profile change.
    const rescore = await measureRescore(
      http,
      db,
      world,
      { feed: feedToken, admin: await token(http, ADMIN.username, ADMIN.password) },
      scale.rescoreCalls,
      async () => {
        const counts = await jobs.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      },
    );
    log(
      `re-score of ${rescore.calls} calls: ${rescore.runs.map((s) => s.toFixed(2)).join(' s, ')} s`,
    );

    memory('re-score');

    // 6. The working day: the busy hour with 50 and with 200 listeners.
    await setReleaseCooldown(db, null);
    const benchDb = db;
    const { result: workingDay, cpu: workingDayCpu } = await withCpu(() =>
      measureWorkingDay({
        baseUrl,
        db: benchDb,
        database: DATABASE,
        http,
        world,
        api,
        worker,
        password: BENCH_PASSWORD,
        feedToken,
        // BENCH_BUSY_NO_FEED=1: the busy hour without the feed posting, to see what the feed costs it.
        feedBodies: process.env.BENCH_BUSY_NO_FEED ? [] : calls.feedBodies,
        // BENCH_BUSY_LISTENERS=5,10 to try other steps.
        sizes: process.env.BENCH_BUSY_LISTENERS?.split(',').map(Number) ?? scale.busyListeners,
        seconds: scale.busySeconds,
        warmupSeconds: scale.warmupSeconds,
      }),
    );
    memory('working day');

    // 7. Wide reads: 20 requests at once over 15 endpoints that build the largest answers.
    const wideEstablishment = listeners[0].establishments[0];
    const staffAt = (role: 'SECURITY_MANAGER' | 'HEAD_OF_OMU' | 'POM') =>
      world.staff.find(
        (s) => s.roles.includes(role) && s.establishments.includes(wideEstablishment),
      )!;
    const prisonerWithLogs = await db.query<{ pn: string }>(
      `SELECT prison_number AS pn FROM monitoring_logs WHERE establishment_code = $1
       GROUP BY prison_number ORDER BY count(*) DESC LIMIT 1`,
      [wideEstablishment],
    );
    const wide = await measureWideReads(
      baseUrl,
      api,
      wideReads({
        establishment: wideEstablishment,
        prisonNumber: prisonerWithLogs.rows[0]?.pn ?? world.prisoners[0].prisonNumber,
        security: await token(http, staffAt('SECURITY_MANAGER').username, BENCH_PASSWORD),
        head: await token(http, staffAt('HEAD_OF_OMU').username, BENCH_PASSWORD),
        pom: await token(http, staffAt('POM').username, BENCH_PASSWORD),
        admin: await token(http, ADMIN.username, ADMIN.password),
        now: new Date(),
      }),
      20,
      scale.wideReadRounds,
    );
    log(
      `wide reads: ${wide.requests} requests, 20 at once, in ${wide.seconds} s; api RSS ${wide.apiBeforeMb} MB before, ` +
        `peak ${wide.apiPeakMb} MB; ${wide.serverErrors} server errors\n` +
        wide.endpoints
          .map(
            (e) =>
              `  ${e.name}: ${JSON.stringify(e.statuses)}, ${thousands(e.bytes)} bytes, p50 ${e.p50Ms} ms, max ${e.maxMs} ms`,
          )
          .join('\n'),
    );
    memory('wide reads');

    // 8. Memory.
    const apiPeakMb = api.peakRssMb();
    const workerPeakMb = worker.peakRssMb();

    const headline = paced[1];
    const sat = saturation as MeasuredRun | null;
    const lightRun = light as MeasuredRun | null;
    const p99ByRows = Object.fromEntries(
      scale.claimRows.map((label, i) => [String(label), round(paced[i].p99Ms, 2)]),
    );
    const doubleClaims = doubles.reduce((s, d) => s + d.total, 0);
    const results = {
      machine: await machine(db, redisUrl),
      at: new Date().toISOString(),
      mode: scale.mode,
      workload: {
        establishments: world.establishments.length,
        prisoners: world.prisoners.length,
        onMonitoring: world.authorisations.length,
        contacts: world.prisoners.reduce((s, p) => s + p.contacts.length, 0),
        staff: world.staff.length,
      },
      ingest: {
        calls: ingest.accepted,
        batchSize: scale.batchSize,
        senders: scale.senders,
        seconds: round(ingest.seconds, 1),
        callsPerSecond: Math.round(ingest.callsPerSecond),
        copyRowsPerSecond: Math.round(copy.rowsPerSecond),
        ratioToCopy: round(ingest.callsPerSecond / copy.rowsPerSecond, 3),
        copyBareRowsPerSecond: Math.round(copy.bareRowsPerSecond),
        ratioToBareCopy: round(ingest.callsPerSecond / copy.bareRowsPerSecond, 3),
        requestP50Ms: round(ingest.requestP50Ms, 1),
        requestP99Ms: round(ingest.requestP99Ms, 1),
        cpuCores: ingestCpu,
      },
      triage: {
        calls: triage.calls,
        seconds: round(triage.seconds, 1),
        callsPerSecond: Math.round(triage.callsPerSecond),
        cpuCores: triageCpu,
      },
      claim: {
        listeners: listeners.length,
        establishments: scale.listenerEstablishments,
        pending: scale.pending,
        rows: rowsAt[1],
        offeredClaimsPerSecond: scale.claimRatePerListener * listeners.length,
        seconds: scale.claimSeconds,
        p50Ms: round(headline.p50Ms, 2),
        p99Ms: round(headline.p99Ms, 2),
        claimsPerSecond: round(headline.claimsPerSecond, 1),
        doubleClaims,
        doubleClaimChecks: doubles,
        p99MsByRows: p99ByRows,
        p50MsByRows: Object.fromEntries(
          scale.claimRows.map((label, i) => [String(label), round(paced[i].p50Ms, 2)]),
        ),
        rowsMeasured: rowsAt,
        byRows: paced.map((r) => claimSummary(r, listeners.length)),
        saturation: sat ? claimSummary(sat, listeners.length) : null,
        lightLoad: lightRun ? claimSummary(lightRun, listeners.length) : null,
        plan: plans[1]?.text ?? '',
        planChecks: plans.map((p, i) => ({
          rows: rowsAt[i],
          usesIndex: p.usesIndex,
          sortsPendingSet: p.sortsPendingSet,
          genericPlanChosen: p.genericPlanChosen,
        })),
        planAt5m: plans[2]?.text ?? '',
        afterIngestWithoutAnalyze: { statistics: staleStatistics, ...stalePlan },
      },
      summary: {
        establishment: summary.establishment,
        requests: summary.requests,
        p50Ms: round(summary.p50Ms, 2),
        p95Ms: round(summary.p95Ms, 2),
        rows: summary.rows,
      },
      rescore: {
        calls: rescore.calls,
        seconds: round(rescore.seconds, 3),
        runs: rescore.runs.map((s) => round(s, 3)),
      },
      workingDay: { ...workingDay, cpuCores: workingDayCpu },
      wideReads: wide,
      autovacuum: autovacuum?.note ?? 'unknown',
      memory: { apiPeakMb: Math.round(apiPeakMb), workerPeakMb: Math.round(workerPeakMb) },
      targets: {} as Targets,
    };

    const t = results.targets;
    const check = (name: string, target: string, value: number, met: boolean) =>
      (t[name] = { target, value, met });
    check(
      'ingest calls/s',
      '>= 5000',
      results.ingest.callsPerSecond,
      ingest.callsPerSecond >= 5000,
    );
    check(
      'ingest / COPY',
      '>= 0.10',
      results.ingest.ratioToCopy,
      results.ingest.ratioToCopy >= 0.1,
    );
    check(
      'triage calls/s',
      '>= 5000',
      results.triage.callsPerSecond,
      triage.callsPerSecond >= 5000,
    );
    check('claim p50 ms', '< 10', results.claim.p50Ms, headline.p50Ms < 10);
    check('claim p99 ms', '< 50', results.claim.p99Ms, headline.p99Ms < 50);
    check('claims/s', '>= 300', results.claim.claimsPerSecond, headline.claimsPerSecond >= 300);
    check('double claims', '= 0', doubleClaims, doubleClaims === 0);
    const growth = paced[2].p99Ms / paced[0].p99Ms;
    check(
      `claim p99 ${thousands(scale.claimRows[2])} / ${thousands(scale.claimRows[0])} rows`,
      '<= 1.5',
      round(growth, 2),
      growth <= 1.5,
    );
    check(
      'claim plan: index walk, no sort',
      'yes',
      plans.every((p) => p.usesIndex && !p.sortsPendingSet) ? 1 : 0,
      plans.every((p) => p.usesIndex && !p.sortsPendingSet),
    );
    // On a table that holds only the queue (the first size, no history) PostgreSQL may keep planning
    // each claim with its values; a prison's table always holds its history (the other sizes).
    const withHistory = plans.slice(1);
    check(
      'claim on a generic plan, tables with history',
      'yes',
      withHistory.every((p) => p.genericPlanChosen) ? 1 : 0,
      withHistory.every((p) => p.genericPlanChosen),
    );
    const staleOk = stalePlan.usesIndex && !stalePlan.sortsPendingSet;
    check('claim plan after ingest, no ANALYZE', 'index walk', staleOk ? 1 : 0, staleOk);
    checkWorkingDay(workingDay, check);
    check('wide reads: api peak RSS MB', '< 400', wide.apiPeakMb, wide.apiPeakMb < 400);
    check('wide reads: 5xx answers', '= 0', wide.serverErrors, wide.serverErrors === 0);
    check('summary p95 ms', '< 100', results.summary.p95Ms, summary.p95Ms < 100);
    check(`re-score ${rescore.calls} calls s`, '< 2', results.rescore.seconds, rescore.seconds < 2);
    check('api peak RSS MB', '< 400', results.memory.apiPeakMb, apiPeakMb < 400);
    check('worker peak RSS MB', '< 400', results.memory.workerPeakMb, workerPeakMb < 400);

    const rows: string[][] = [['measure', 'result', 'baseline / detail', 'target', 'met']];
    const row = (measure: string, result: string, detail: string, key: string) =>
      rows.push([
        measure,
        result,
        detail,
        t[key]?.target ?? '',
        t[key] ? (t[key].met ? 'yes' : 'NO') : '',
      ]);
    row(
      'ingest (HTTP, end to end)',
      `${thousands(results.ingest.callsPerSecond)} calls/s`,
      `${thousands(ingest.accepted)} calls in ${results.ingest.seconds} s`,
      'ingest calls/s',
    );
    row(
      '  against COPY',
      `${(results.ingest.ratioToCopy * 100).toFixed(1)} %`,
      `COPY ${thousands(results.ingest.copyRowsPerSecond)} rows/s into a table like calls ` +
        `(bare table ${thousands(results.ingest.copyBareRowsPerSecond)} rows/s: ${(results.ingest.ratioToBareCopy * 100).toFixed(1)} %)`,
      'ingest / COPY',
    );
    row(
      'triage (worker)',
      `${thousands(results.triage.callsPerSecond)} calls/s`,
      `${thousands(triage.calls)} calls in ${results.triage.seconds} s`,
      'triage calls/s',
    );
    row(
      `claim p50 (${thousands(rowsAt[1])} rows)`,
      `${results.claim.p50Ms} ms`,
      `${listeners.length} listeners, ${thousands(scale.pending)} pending, offered ${results.claim.offeredClaimsPerSecond}/s`,
      'claim p50 ms',
    );
    row(
      'claim p99',
      `${results.claim.p99Ms} ms`,
      `other processes used ${headline.cpu.otherCores} of the ${os.cpus().length} cores meanwhile`,
      'claim p99 ms',
    );
    row(
      'claims per second',
      `${results.claim.claimsPerSecond}`,
      sat
        ? `saturation ${round(sat.claimsPerSecond, 0)}/s (p50 ${round(sat.p50Ms, 1)} ms, p99 ${round(sat.p99Ms, 1)} ms)`
        : '',
      'claims/s',
    );
    row(
      'double claims',
      String(doubleClaims),
      'database log + what listeners saw',
      'double claims',
    );
    row(
      'claim p99 by table size',
      scale.claimRows.map((r, i) => `${thousands(r)}: ${round(paced[i].p99Ms, 1)}`).join(', '),
      `ratio ${round(growth, 2)}`,
      `claim p99 ${thousands(scale.claimRows[2])} / ${thousands(scale.claimRows[0])} rows`,
    );
    row(
      'claim plan',
      plans.every((p) => p.usesIndex) ? 'index scan' : 'NOT an index scan',
      '',
      'claim plan: index walk, no sort',
    );
    row(
      'claim plan after ingest, no ANALYZE',
      staleOk ? 'index walk' : 'NOT an index walk',
      `last analyse ${staleStatistics?.lastAnalyze?.toISOString() ?? 'never'}, ` +
        `${thousands(staleStatistics?.modifiedSinceAnalyze ?? 0)} rows changed since`,
      'claim plan after ingest, no ANALYZE',
    );
    row(
      `backlog summary (${thousands(summary.rows)} rows)`,
      `p50 ${results.summary.p50Ms} ms, p95 ${results.summary.p95Ms} ms`,
      `${summary.requests} requests, ${summary.establishment}`,
      'summary p95 ms',
    );
    row(
      `re-score ${thousands(rescore.calls)} calls`,
      `${results.rescore.seconds} s`,
      `runs ${results.rescore.runs.join(', ')} s`,
      `re-score ${rescore.calls} calls s`,
    );
    row(
      'machine shared',
      `others: ${ingestCpu.otherCores} / ${triageCpu.otherCores} / ${headline.cpu.otherCores} cores`,
      'average cores used by other processes during ingest / triage / claim',
      '',
    );
    row(
      'machine shared, working day',
      `others: ${workingDayCpu.otherCores} cores`,
      `load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      '',
    );
    for (const r of workingDayRows(workingDay)) row(...r);
    row(
      'wide reads: api peak RSS',
      `${wide.apiPeakMb} MB`,
      `20 at once over ${wide.endpoints.length} endpoints, ${wide.requests} requests in ${wide.seconds} s`,
      'wide reads: api peak RSS MB',
    );
    row('api peak RSS', `${results.memory.apiPeakMb} MB`, '', 'api peak RSS MB');
    row('worker peak RSS', `${results.memory.workerPeakMb} MB`, '', 'worker peak RSS MB');
    console.log(`\n${table(rows)}\n`);
    console.log(`Claim plan at ${thousands(rowsAt[1])} rows:\n${results.claim.plan}\n`);

    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, scale.mode === 'full' ? 'latest.json' : 'latest-quick.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, file)}`);
    const missed = Object.entries(t).filter(([, v]) => !v.met);
    if (missed.length) log(`targets missed: ${missed.map(([k]) => k).join(', ')}`);
    else log('every target met');
  } finally {
    http.close();
    await jobs.close().catch(() => undefined);
    jobsConnection.disconnect();
    for (const p of processes.reverse()) await p.stop();
    await db?.end().catch(() => undefined);
    await autovacuum
      ?.restore()
      .catch((err: unknown) => log(`could not restore autovacuum: ${String(err)}`));
    if (!keepDb) {
      await dropDatabase(serverUrl, DATABASE).catch((err: unknown) =>
        log(`could not drop ${DATABASE}: ${String(err)}`),
      );
    }
    const removed = await clearRedis(redisUrl).catch(() => 0);
    log(`cleaned up: ${keepDb ? 'kept' : 'dropped'} ${DATABASE}, removed ${removed} Redis keys`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
