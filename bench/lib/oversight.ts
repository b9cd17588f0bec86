import { Client } from 'pg';
import { DemoPrisoner, DemoWorld } from '../../src/demo/demo-world';
import { HttpClient } from './http';
import { scalar } from './pg';
import { log, now, quantile } from './util';

export interface SummaryResult {
  establishment: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  rows: number;
}

/** GET /api/backlog/summary for one establishment, one request at a time after a warm-up. */
export async function measureSummary(
  http: HttpClient,
  db: Client,
  headToken: string,
  establishment: string,
  requests: number,
): Promise<SummaryResult> {
  const path = `/api/backlog/summary?establishment=${establishment}`;
  const latencies: number[] = [];
  for (let i = 0; i < 20 + requests; i++) {
    const res = await http.request('GET', path, { token: headToken });
    if (res.status !== 200)
      throw new Error(`Backlog summary answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (i >= 20) latencies.push(res.ms);
  }
  return {
    establishment,
    requests,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    rows: await scalar(db, `SELECT count(*)::int AS n FROM calls`),
  };
}

export interface RescoreResult {
  prisonNumber: string;
  calls: number;
  /** Seconds of each PUT /api/prisoners/{prisonNumber} that re-scored the calls (RoSH up, down, up). */
  runs: number[];
  seconds: number;
}

/** A monitored, English-speaking prisoner with a low-risk profile and ordinary contacts. */
function rescoreSubject(world: DemoWorld): DemoPrisoner {
  const authorised = new Map(world.authorisations.map((a) => [a.prisonNumber, a]));
  const nowMs = new Date(world.now).getTime();
  const found = world.prisoners.find((p) => {
    const a = authorised.get(p.prisonNumber);
    return (
      p.monitored &&
      !p.scenario &&
      a?.body.type === 'OFFENCE_RELATED' &&
      nowMs - new Date(a.body.startsAt).getTime() > 35 * 86_400_000 &&
      p.body.languages[0] === 'en' &&
      p.body.alertCodes.every((c) => ['P66', 'P22', 'ROM', 'ROH'].includes(c)) &&
      p.contacts.some((c) => !c.isVictim && c.restriction === 'NONE' && !c.isChild)
    );
  });
  if (!found) throw new Error('No prisoner in the world suits the re-score measurement');
  return found;
}

/**
 * Sends `calls` calls of one prisoner through ingest, waits for the worker to queue them, then
 * changes the prisoner's profile through PUT /api/prisoners/{prisonNumber} (RoSH very high: every
 * call moves to P1, then back) and times each request, which re-scores the calls in its transaction.
 */
export async function measureRescore(
  http: HttpClient,
  db: Client,
  world: DemoWorld,
  tokens: { feed: string; admin: string },
  calls: number,
  workerIdle: () => Promise<boolean>,
): Promise<RescoreResult> {
  const p = rescoreSubject(world);
  const numbers = p.contacts
    .filter((c) => !c.isVictim && c.restriction === 'NONE' && !c.isChild)
    .flatMap((c) => c.phoneNumbers.map((n) => n.replace(/\s/g, '')));
  // Only the calls sent here wait for this prisoner (setup, not measured).
  await db.query(
    `UPDATE calls SET status = 'LOGGED', logged_at = now() WHERE prison_number = $1 AND status = 'PENDING'`,
    [p.prisonNumber],
  );
  const nowMs = Date.now() - 3_600_000;
  const span = 30 * 86_400_000;
  for (let i = 0; i < calls; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, calls - i) }, (_, k) => {
      const n = i + k;
      return {
        externalId: `BENCH-RESCORE-${p.prisonNumber}-${n}`,
        prisonNumber: p.prisonNumber,
        establishmentCode: p.body.establishmentCode,
        dialledNumber: numbers[n % numbers.length],
        startedAt: new Date(nowMs - Math.floor((n / calls) * span)).toISOString(),
        durationSeconds: 60 + (n % 600),
        channel: 'PHONE',
        recordingRef: 'demo/clip-1.wav',
        language: 'en',
      };
    });
    const res = await http.request('POST', '/api/calls/batch', {
      token: tokens.feed,
      body: { calls: batch },
    });
    if (res.status !== 202) throw new Error(`Ingest answered ${res.status}`);
  }
  const deadline = Date.now() + 300_000;
  for (;;) {
    const received = await scalar(
      db,
      `SELECT count(*)::int AS n FROM calls WHERE prison_number = $1 AND status = 'RECEIVED'`,
      [p.prisonNumber],
    );
    // Triaged, and the worker done with the batches' jobs (pattern detection runs after triage and
    // may itself re-score this prisoner): the profile change is then measured alone.
    if (received === 0 && (await workerIdle())) break;
    if (Date.now() > deadline) throw new Error('The re-score calls were not triaged in time');
    await new Promise((r) => setTimeout(r, 250));
  }
  const pending = await scalar(
    db,
    `SELECT count(*)::int AS n FROM calls WHERE prison_number = $1 AND status = 'PENDING'`,
    [p.prisonNumber],
  );
  log(`re-score subject ${p.prisonNumber}: ${pending} pending calls`);
  if (pending < calls) throw new Error(`Only ${pending} of ${calls} calls were queued`);

  const runs: number[] = [];
  for (const veryHigh of [true, false, true]) {
    const alertCodes = veryHigh
      ? [...p.body.alertCodes.filter((c) => !c.startsWith('RO')), 'ROV']
      : p.body.alertCodes;
    const before = await db.query<{ at: Date }>(`SELECT now() AS at`);
    const t0 = now();
    const res = await http.request('PUT', `/api/prisoners/${p.prisonNumber}`, {
      token: tokens.admin,
      body: { ...p.body, alertCodes },
    });
    const seconds = (now() - t0) / 1000;
    if (res.status !== 200) throw new Error(`PUT prisoner answered ${res.status}`);
    // Every waiting call was re-scored by the request (RoSH very high puts each in P1).
    const counts = await db.query<{ rescored: number; p1: number }>(
      `SELECT count(*) FILTER (WHERE updated_at >= $2)::int AS rescored,
              count(*) FILTER (WHERE tier = 'P1')::int AS p1
       FROM calls WHERE prison_number = $1 AND status = 'PENDING'`,
      [p.prisonNumber, before.rows[0].at],
    );
    const { rescored, p1 } = counts.rows[0];
    if (rescored !== pending || (veryHigh && p1 !== pending))
      throw new Error(`The profile change re-scored ${rescored} of ${pending} calls (${p1} in P1)`);
    runs.push(seconds);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { prisonNumber: p.prisonNumber, calls: pending, runs, seconds: sorted[1] };
}
