import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { canonicalDialledNumber } from '../../src/calls/call-record';
import { DemoCall, DemoWorld } from '../../src/demo/demo-world';
import { HttpClient } from './http';
import { copyFrom, scalar } from './pg';
import { forEachLimit } from '../../src/common/concurrency';
import { log, now, quantile } from './util';

export interface PreparedCalls {
  count: number;
  /** Request bodies of POST /api/calls/batch, serialised before the clock starts. */
  bodies: Buffer[];
  /** The same rows as COPY text, as the ingest path would store them. */
  copyChunks: Buffer[];
  /** The calls after those: what the feed posts during the busy hour, in smaller batches. */
  feedBodies: Buffer[];
}

/**
 * The first `count` calls of the world, as HTTP batches and as COPY data; then up to `feed.calls`
 * more as batches of `feed.batchSize` for the busy hour.
 */
export function prepareCalls(
  world: DemoWorld,
  count: number,
  batchSize: number,
  feed = { calls: 0, batchSize: 1 },
): PreparedCalls {
  const bodies: Buffer[] = [];
  const feedBodies: Buffer[] = [];
  let feedBatch: DemoCall[] = [];
  let fed = 0;
  const copyChunks: Buffer[] = [];
  let batch: DemoCall[] = [];
  let copyLines: string[] = [];
  let taken = 0;
  const flush = () => {
    if (!batch.length) return;
    bodies.push(Buffer.from(JSON.stringify({ calls: batch })));
    const batchId = randomUUID();
    for (const c of batch) {
      const dialled = canonicalDialledNumber(c.dialledNumber);
      if (!dialled.ok) throw new Error(`bad dialled number ${c.dialledNumber}`);
      copyLines.push(
        [
          c.externalId,
          batchId,
          c.prisonNumber,
          c.establishmentCode,
          dialled.e164,
          c.startedAt,
          c.durationSeconds,
          c.channel,
          c.recordingRef,
          c.language,
        ].join('\t'),
      );
    }
    if (copyLines.length >= 10_000) {
      copyChunks.push(Buffer.from(copyLines.join('\n') + '\n'));
      copyLines = [];
    }
    batch = [];
  };
  for (const call of world.calls()) {
    if (taken >= count) {
      if (fed >= feed.calls) break;
      feedBatch.push(call);
      fed++;
      if (feedBatch.length === feed.batchSize) {
        feedBodies.push(Buffer.from(JSON.stringify({ calls: feedBatch })));
        feedBatch = [];
      }
      continue;
    }
    batch.push(call);
    taken++;
    if (batch.length === batchSize) flush();
  }
  flush();
  if (copyLines.length) copyChunks.push(Buffer.from(copyLines.join('\n') + '\n'));
  if (taken < count) throw new Error(`The world has only ${taken} calls; ${count} were asked for`);
  if (feedBatch.length) feedBodies.push(Buffer.from(JSON.stringify({ calls: feedBatch })));
  return { count: taken, bodies, copyChunks, feedBodies };
}

const COPY_COLUMNS = `external_id, batch_id, prison_number, establishment_code, dialled_number, started_at,
  duration_seconds, channel, recording_ref, language`;

export interface CopyBaseline {
  /** COPY into a scratch table shaped like `calls` (same columns, defaults, checks and indexes). */
  rowsPerSecond: number;
  /** COPY into a bare scratch table (the same columns, no index, no constraint). */
  bareRowsPerSecond: number;
}

/** The raw rate at which PostgreSQL takes the same rows with COPY, measured in this run. */
export async function copyBaseline(db: Client, calls: PreparedCalls): Promise<CopyBaseline> {
  const rate = async (table: string, create: string) => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(create);
    await db.query('CHECKPOINT');
    const t0 = now();
    const rows = await copyFrom(db, `COPY ${table} (${COPY_COLUMNS}) FROM STDIN`, calls.copyChunks);
    const seconds = (now() - t0) / 1000;
    if (rows !== calls.count) throw new Error(`COPY took ${rows} rows, not ${calls.count}`);
    await db.query(`DROP TABLE ${table}`);
    return rows / seconds;
  };
  const bare = await rate(
    'bench_copy_bare',
    `CREATE TABLE bench_copy_bare AS SELECT ${COPY_COLUMNS} FROM calls WITH NO DATA`,
  );
  log(`COPY into a bare scratch table: ${Math.round(bare)} rows/s`);
  const shaped = await rate(
    'bench_copy_scratch',
    `CREATE TABLE bench_copy_scratch (LIKE calls INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
  log(`COPY into a scratch table shaped like calls: ${Math.round(shaped)} rows/s`);
  await db.query('CHECKPOINT');
  return { rowsPerSecond: shaped, bareRowsPerSecond: bare };
}

export interface IngestResult {
  calls: number;
  accepted: number;
  seconds: number;
  callsPerSecond: number;
  requestP50Ms: number;
  requestP99Ms: number;
}

/** Sends every batch through POST /api/calls/batch with `senders` concurrent connections. */
export async function ingestOverHttp(
  http: HttpClient,
  feedToken: string,
  calls: PreparedCalls,
  senders: number,
): Promise<IngestResult> {
  let accepted = 0;
  const latencies: number[] = [];
  const t0 = now();
  await forEachLimit(calls.bodies, senders, async (body) => {
    const res = await http.request<{ accepted: number; rejected: unknown[] }>(
      'POST',
      '/api/calls/batch',
      { token: feedToken, body },
    );
    if (res.status !== 202)
      throw new Error(`Ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    if (res.body.rejected.length)
      throw new Error(`Ingest rejected ${JSON.stringify(res.body.rejected[0])}`);
    accepted += res.body.accepted;
    latencies.push(res.ms);
  });
  const seconds = (now() - t0) / 1000;
  return {
    calls: calls.count,
    accepted,
    seconds,
    callsPerSecond: accepted / seconds,
    requestP50Ms: quantile(latencies, 0.5),
    requestP99Ms: quantile(latencies, 0.99),
  };
}

export interface TriageResult {
  calls: number;
  seconds: number;
  callsPerSecond: number;
}

/**
 * Waits for the worker to triage every RECEIVED call. The clock starts when the first chunk's
 * transaction began (triage_runs.finished_at defaults to the transaction's now()) and stops when no
 * call is left RECEIVED.
 */
export async function waitForTriage(
  db: Client,
  expected: number,
  timeoutMs: number,
): Promise<TriageResult> {
  const deadline = Date.now() + timeoutMs;
  let lastLog = 0;
  // Polls the small triage_runs table (one row per chunk), not the calls table, to stay out of the way.
  for (;;) {
    const triaged = await scalar(
      db,
      `SELECT coalesce(sum(calls_triaged), 0)::bigint AS n FROM triage_runs`,
    );
    if (triaged >= expected) break;
    if (Date.now() > deadline) throw new Error(`Triage did not finish: ${triaged} of ${expected}`);
    if (Date.now() - lastLog > 15_000) {
      log(`triage: ${triaged} of ${expected} calls triaged`);
      lastLog = Date.now();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const endMs = Date.now();
  const left = await scalar(db, `SELECT count(*)::int AS n FROM calls WHERE status = 'RECEIVED'`);
  if (left > 0) log(`warning: ${left} calls still RECEIVED after triage`);
  const r = await db.query<{ first: Date; triaged: string }>(
    `SELECT min(finished_at) AS first, sum(calls_triaged)::bigint AS triaged FROM triage_runs`,
  );
  const seconds = (endMs - r.rows[0].first.getTime()) / 1000;
  const triaged = Number(r.rows[0].triaged);
  if (triaged !== expected) log(`warning: ${triaged} calls triaged, ${expected} expected`);
  return { calls: triaged, seconds, callsPerSecond: triaged / seconds };
}
