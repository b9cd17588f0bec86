/**
 * The busy hour: listeners claim, play the recording, listen and write, and log, one call after
 * another, while the feed keeps posting batches, heads of OMU refresh the backlog summary and POMs
 * open their caseloads. Every request is timed from sending it to the end of its answer.
 */
import { Client } from 'pg';
import { Listener } from './claim';
import { RawHttpConnection } from './raw-http';
import { log, now, quantile, sleep } from './util';

export interface Reader {
  username: string;
  token: string;
  path: string;
}

/**
 * How long a listener listens and writes between fetching the recording and submitting the log,
 * drawn uniformly from this range. A real call is about 7 minutes, and listening to it and writing
 * the log takes longer still, so a listener logs some 6 calls an hour; 1–3 s (2 s on average)
 * compresses that about 200 times: 50 listeners offer about 24 logs a second, 85,000 an hour,
 * where a whole prison's 50 listeners would log about 300. It keeps the concurrency of a working
 * day (every listener with a call open, arriving unsynchronised) without making the benchmark last
 * an hour. With no listening at all (null) the listeners form a closed loop that saturates the
 * machine: that measures capacity, not latency (latency is then listeners / throughput).
 */
export const LISTENING_MS: readonly [number, number] = [1000, 3000];

export interface BusyOptions {
  seconds: number;
  /** Listening and writing time per call, uniform in [min, max] ms; null: none (saturation). */
  listeningMs: readonly [number, number] | null;
  warmupSeconds: number;
  listeners: readonly Listener[];
  heads: readonly Reader[];
  poms: readonly Reader[];
  /** Each reader's pause between refreshes (a page left open and refreshed, or opened again). */
  readerPeriodMs: number;
  feedToken: string;
  /** Bodies of POST /api/calls/batch, posted one every `feedPeriodMs` while the hour lasts. */
  feedBodies: readonly Buffer[];
  feedPeriodMs: number;
}

interface ClaimSeen {
  listener: string;
  callId: string;
  token: string;
  gotAt: number;
  /** When the log (or, after a failed log, the release) was sent: the end of this listener's hold. */
  releaseSentAt: number;
}

export interface Timings {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BusyRun {
  listeners: number;
  seconds: number;
  listeningMs: readonly [number, number] | null;
  claim: Timings;
  recording: Timings;
  log: Timings;
  /** The log's latency by the kind of log sent (HIGH ones escalate and re-score the prisoner). */
  logByKind: Record<LogKind, Timings>;
  summary: Timings;
  caseload: Timings;
  feed: Timings & { calls: number; batches: number };
  logsPerSecond: number;
  claimsPerSecond: number;
  /** Answers by status over the whole phase (warm-up included), every kind of request. */
  statuses: Record<string, number>;
  serverErrors: number;
  otherErrors: number;
  empty: number;
  /** The share of logs of each kind sent (the realistic mix). */
  mix: Record<LogKind, number>;
  held: ClaimSeen[];
  /** Ids of the logs answered 201, and of the calls they logged. */
  logged: { callId: string; logId: string }[];
}

type LogKind = 'NONE' | 'LOW' | 'HIGH_THREAT' | 'UNIDENTIFIED';

/** One in ten HIGH with a threat, one in twenty an unidentified person, the rest NONE or LOW. */
export function logKind(n: number): LogKind {
  if (n % 10 === 3) return 'HIGH_THREAT';
  if (n % 20 === 7) return 'UNIDENTIFIED';
  return n % 3 === 0 ? 'LOW' : 'NONE';
}

interface ClaimedContact {
  id: string;
  relationship: string;
}

/** A log body a listener would write for this kind of call (API.md, Monitoring logs). */
export function logBody(kind: LogKind, token: string, contact: ClaimedContact | null) {
  const known = contact
    ? { contactId: contact.id, confidence: 'CONFIRMED' }
    : { contactId: null, relationship: 'FRIEND', confidence: 'PROBABLE' };
  const base = { token, recordingQuality: 'GOOD' };
  switch (kind) {
    case 'NONE':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'NO_CONCERNS' }],
        threats: [],
        concernLevel: 'NONE',
        summary:
          'Talked with family about visits, canteen money and how the children are doing at school.',
      };
    case 'LOW':
      return {
        ...base,
        contact: known,
        themes: [{ code: 'RELEASE_PLANNING', note: 'housing on release' }],
        threats: [],
        concernLevel: 'LOW',
        summary:
          'Discussed where he will live on release; contact offered a room, no concerns about her.',
      };
    case 'HIGH_THREAT':
      return {
        ...base,
        contact: { contactId: null, relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
        themes: [{ code: 'THREATS_TO_HARM' }],
        threats: [
          {
            target: 'ex-partner',
            type: 'PHYSICAL',
            imminence: 'ON_RELEASE',
            quote: 'you will pay',
          },
        ],
        concernLevel: 'HIGH',
        summary: 'Told his ex-partner she would pay when he is released; knows her new address.',
      };
    case 'UNIDENTIFIED':
      return {
        ...base,
        contact: { contactId: null, relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' },
        themes: [{ code: 'SECURITY_INTELLIGENCE', note: 'unknown male voice' }],
        threats: [],
        concernLevel: 'MEDIUM',
        summary:
          'An unknown man answered and talked about a parcel coming in; could not tell who he is.',
      };
  }
}

const timings = (values: readonly number[]): Timings => ({
  count: values.length,
  p50Ms: quantile(values, 0.5),
  p99Ms: quantile(values, 0.99),
  maxMs: quantile(values, 1),
});

export async function runBusyHour(baseUrl: string, o: BusyOptions): Promise<BusyRun> {
  const start = now();
  const measureFrom = start + o.warmupSeconds * 1000;
  const end = measureFrom + o.seconds * 1000;
  const { hostname, port } = new URL(baseUrl);
  const lat = {
    claim: [] as number[],
    recording: [] as number[],
    log: [] as number[],
    summary: [] as number[],
    caseload: [] as number[],
    feed: [] as number[],
  };
  const statuses: Record<string, number> = {};
  const held: ClaimSeen[] = [];
  const logged: { callId: string; logId: string }[] = [];
  const mix: Record<LogKind, number> = { NONE: 0, LOW: 0, HIGH_THREAT: 0, UNIDENTIFIED: 0 };
  const logByKind: Record<LogKind, number[]> = {
    NONE: [],
    LOW: [],
    HIGH_THREAT: [],
    UNIDENTIFIED: [],
  };
  let otherErrors = 0;
  let empty = 0;
  let logsMeasured = 0;
  let claimsMeasured = 0;
  let serial = 0;
  const complain = (what: string, status: number, body: string) => {
    if (++otherErrors <= 5) log(`${what} answered ${status}: ${body.slice(0, 300)}`);
  };
  /** A request on `http`, counted by status and timed into `into` when sent in the window. */
  const send = async (
    http: RawHttpConnection,
    method: string,
    path: string,
    token: string,
    body: string,
    into: number[] | null,
  ) => {
    const sentAt = now();
    const res = await http.request(method, path, token, body).catch((err: Error) => {
      if (++otherErrors <= 5) log(`${method} ${path}: ${err.message}`);
      return { status: 0, body: '', ms: 0 };
    });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const measured = sentAt >= measureFrom && sentAt < end;
    if (measured && into && res.status !== 0) into.push(res.ms);
    return { ...res, measured };
  };

  const listen = async (l: Listener) => {
    const http = new RawHttpConnection(hostname, Number(port));
    // Listeners of a working day do not all start at the same instant: spread over one listening.
    if (o.listeningMs) await sleep(Math.random() * o.listeningMs[1]);
    while (now() < end) {
      const claim = await send(http, 'POST', '/api/queue/claim', l.token, '{}', lat.claim);
      if (claim.status === 204) {
        if (claim.measured) empty++;
        await sleep(200);
        continue;
      }
      if (claim.status !== 200) {
        complain('claim', claim.status, claim.body);
        await sleep(200);
        continue;
      }
      if (claim.measured) claimsMeasured++;
      const gotAt = now();
      const answer = JSON.parse(claim.body) as {
        call: { id: string; contact: ClaimedContact | null };
        claim: { token: string };
      };
      const callId = answer.call.id;
      const seen: ClaimSeen = {
        listener: l.username,
        callId,
        token: answer.claim.token,
        gotAt,
        releaseSentAt: Number.POSITIVE_INFINITY,
      };
      held.push(seen);
      const rec = await send(
        http,
        'GET',
        `/api/calls/${callId}/recording`,
        l.token,
        '',
        lat.recording,
      );
      if (rec.status !== 200 && rec.status !== 206) complain('recording', rec.status, rec.body);
      if (o.listeningMs) {
        const [min, max] = o.listeningMs;
        await sleep(min + Math.random() * (max - min));
      }
      const kind = logKind(serial++);
      const body = JSON.stringify(logBody(kind, answer.claim.token, answer.call.contact));
      seen.releaseSentAt = now();
      const res = await send(http, 'POST', `/api/calls/${callId}/log`, l.token, body, lat.log);
      if (res.measured && res.status !== 0) logByKind[kind].push(res.ms);
      if (res.status === 201) {
        mix[kind]++;
        if (res.measured) logsMeasured++;
        logged.push({ callId, logId: (JSON.parse(res.body) as { log: { id: string } }).log.id });
        continue;
      }
      complain('log', res.status, res.body);
      // Not logged: hand the call back, as a listener would, so that it is not left held.
      seen.releaseSentAt = now();
      await send(
        http,
        'POST',
        `/api/calls/${callId}/release`,
        l.token,
        JSON.stringify({ token: answer.claim.token, reason: 'benchmark: log failed' }),
        null,
      );
    }
    http.close();
  };

  const read = async (r: Reader, index: number, readers: number, into: number[]) => {
    const http = new RawHttpConnection(hostname, Number(port));
    await sleep((o.readerPeriodMs * index) / Math.max(1, readers));
    while (now() < end) {
      const res = await send(http, 'GET', r.path, r.token, '', into);
      if (res.status !== 200) complain(`GET ${r.path} (${r.username})`, res.status, res.body);
      await sleep(o.readerPeriodMs);
    }
    http.close();
  };

  let feedCalls = 0;
  let feedBatches = 0;
  const feed = async () => {
    const http = new RawHttpConnection(hostname, Number(port));
    let next = start;
    for (const body of o.feedBodies) {
      if (now() >= end) break;
      const wait = next - now();
      if (wait > 0) await sleep(wait);
      next += o.feedPeriodMs;
      feedBatches++;
      const res = await send(
        http,
        'POST',
        '/api/calls/batch',
        o.feedToken,
        body.toString(),
        lat.feed,
      );
      if (res.status === 202) feedCalls += (JSON.parse(res.body) as { accepted: number }).accepted;
      else complain('feed', res.status, res.body);
    }
    if (now() < end) log('warning: the feed ran out of batches before the busy hour ended');
    http.close();
  };

  await Promise.all([
    ...o.listeners.map((l) => listen(l)),
    ...o.heads.map((h, i) => read(h, i, o.heads.length, lat.summary)),
    ...o.poms.map((p, i) => read(p, i, o.poms.length, lat.caseload)),
    feed(),
  ]);
  const serverErrors = Object.entries(statuses)
    .filter(([s]) => Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  return {
    listeners: o.listeners.length,
    seconds: o.seconds,
    listeningMs: o.listeningMs,
    claim: timings(lat.claim),
    recording: timings(lat.recording),
    log: timings(lat.log),
    logByKind: {
      NONE: timings(logByKind.NONE),
      LOW: timings(logByKind.LOW),
      HIGH_THREAT: timings(logByKind.HIGH_THREAT),
      UNIDENTIFIED: timings(logByKind.UNIDENTIFIED),
    },
    summary: timings(lat.summary),
    caseload: timings(lat.caseload),
    feed: { ...timings(lat.feed), calls: feedCalls, batches: feedBatches },
    logsPerSecond: logsMeasured / o.seconds,
    claimsPerSecond: claimsMeasured / o.seconds,
    statuses,
    serverErrors,
    otherErrors,
    empty,
    mix,
    held,
    logged,
  };
}

export interface LostLogs {
  /** Logs answered 201 with no row in monitoring_logs for that call. */
  missing: number;
  /** Calls claimed in the hour that are neither LOGGED nor back in the queue (nor held still). */
  stranded: number;
  /** Calls logged twice. */
  duplicated: number;
}

/** Every 201 log is stored, and every call claimed is logged or waiting again. */
export async function countLostLogs(db: Client, run: BusyRun): Promise<LostLogs> {
  const stored = await db.query<{ id: string; call_id: string }>(
    `SELECT id::text, call_id::text FROM monitoring_logs WHERE id = ANY($1::uuid[])`,
    [run.logged.map((l) => l.logId)],
  );
  const byId = new Map(stored.rows.map((r) => [r.id, r.call_id]));
  const missing = run.logged.filter((l) => byId.get(l.logId) !== l.callId).length;
  const claimedIds = [...new Set(run.held.map((h) => h.callId))];
  const states = await db.query<{ status: string; logs: number }>(
    `SELECT c.status, (SELECT count(*)::int FROM monitoring_logs m WHERE m.call_id = c.id) AS logs
     FROM calls c WHERE c.id = ANY($1::uuid[])`,
    [claimedIds],
  );
  const stranded =
    claimedIds.length -
    states.rows.filter((r) => (r.status === 'LOGGED' && r.logs >= 1) || r.status === 'PENDING')
      .length;
  const duplicated = states.rows.filter((r) => r.logs > 1).length;
  return { missing, stranded, duplicated };
}
