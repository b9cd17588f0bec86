import { Client } from 'pg';
import { QueueRepository } from '../../src/queue/queue.repository';
import { RawHttpConnection } from './raw-http';
import { log, now, quantile, sleep } from './util';

export interface Listener {
  username: string;
  establishments: string[];
  token: string;
}

interface Held {
  listener: string;
  callId: string;
  token: string;
  /** Client clock (ms): when the claim's answer arrived, and when the release was sent. */
  gotAt: number;
  releaseSentAt: number;
}

export interface ClaimRun {
  /** Offered claims per second per listener; null: each listener claims again at once (saturation). */
  ratePerListener: number | null;
  seconds: number;
  claims: number;
  empty: number;
  errors: number;
  claimsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  releaseP50Ms: number;
  held: Held[];
}

/**
 * `listeners` each claim (POST /api/queue/claim) and release (POST /api/calls/:id/release) in a loop
 * for `seconds` after a warm-up. Paced at `ratePerListener` claims a second each (a claim is sent at
 * the next tick, or at once when late), or back to back when null. Latency is measured per request,
 * from sending it to the end of the answer.
 */
export async function runClaims(
  baseUrl: string,
  listeners: readonly Listener[],
  options: { seconds: number; warmupSeconds: number; ratePerListener: number | null },
): Promise<ClaimRun> {
  const start = now();
  const measureFrom = start + options.warmupSeconds * 1000;
  const end = measureFrom + options.seconds * 1000;
  const latencies: number[] = [];
  const releaseLatencies: number[] = [];
  const held: Held[] = [];
  let claims = 0;
  let empty = 0;
  let errors = 0;
  const period = options.ratePerListener ? 1000 / options.ratePerListener : 0;

  const { hostname, port } = new URL(baseUrl);
  const loop = async (l: Listener, index: number) => {
    const http = new RawHttpConnection(hostname, Number(port));
    let next = start + (period * index) / listeners.length;
    while (now() < end) {
      if (period) {
        const wait = next - now();
        if (wait > 0) await sleep(wait);
        next += period;
        if (next < now()) next = now();
      }
      const sentAt = now();
      const res = await http.request('POST', '/api/queue/claim', l.token, '{}');
      const measured = sentAt >= measureFrom && sentAt < end;
      if (measured) latencies.push(res.ms);
      if (res.status === 204) {
        if (measured) empty++;
        continue;
      }
      if (res.status !== 200) {
        errors++;
        if (errors <= 3) log(`claim answered ${res.status}: ${res.body}`);
        continue;
      }
      const gotAt = now();
      const answer = JSON.parse(res.body) as { call: { id: string }; claim: { token: string } };
      const callId = answer.call.id;
      const claimToken = answer.claim.token;
      const releaseSentAt = now();
      const rel = await http.request(
        'POST',
        `/api/calls/${callId}/release`,
        l.token,
        JSON.stringify({ token: claimToken }),
      );
      if (rel.status !== 200) {
        errors++;
        if (errors <= 3) log(`release answered ${rel.status}: ${rel.body}`);
      }
      held.push({ listener: l.username, callId, token: claimToken, gotAt, releaseSentAt });
      if (measured) {
        claims++;
        releaseLatencies.push(rel.ms);
      }
    }
    http.close();
  };
  await Promise.all(listeners.map((l, i) => loop(l, i)));
  return {
    ratePerListener: options.ratePerListener,
    seconds: options.seconds,
    claims,
    empty,
    errors,
    claimsPerSecond: claims / options.seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: quantile(latencies, 1),
    releaseP50Ms: quantile(releaseLatencies, 0.5),
    held,
  };
}

/**
 * A log of every change into or out of CLAIMED, written by a trigger in the claim's own transaction
 * while it holds the row lock (so, per call, the log's order is the true order). A call claimed
 * while it was already CLAIMED is a double claim.
 */
export async function installClaimLog(db: Client): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS bench_claim_log (
      id bigserial PRIMARY KEY, call_id uuid NOT NULL, old_status text, new_status text,
      old_claimed_by text, new_claimed_by text, old_token uuid, token uuid,
      at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await db.query(`
    CREATE OR REPLACE FUNCTION bench_log_claim() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO bench_claim_log (call_id, old_status, new_status, old_claimed_by, new_claimed_by, old_token, token)
      VALUES (NEW.id, OLD.status, NEW.status, OLD.claimed_by, NEW.claimed_by, OLD.claim_token, NEW.claim_token);
      RETURN NULL;
    END $$`);
  await db.query(`DROP TRIGGER IF EXISTS bench_claim_log ON calls`);
  await db.query(`
    CREATE TRIGGER bench_claim_log AFTER UPDATE ON calls FOR EACH ROW
    WHEN (OLD.status = 'CLAIMED' OR NEW.status = 'CLAIMED') EXECUTE FUNCTION bench_log_claim()`);
}

export async function removeClaimLog(db: Client): Promise<void> {
  await db.query(`DROP TRIGGER IF EXISTS bench_claim_log ON calls`);
}

export interface DoubleClaims {
  /** Claims of a call that was already CLAIMED (from the database's log). */
  database: number;
  /** Calls a listener received while another still held them (from what the listeners saw). */
  overlapping: number;
  /** A claim token handed out twice. */
  repeatedTokens: number;
  /** Claims in the log that no listener saw, or the other way round (should be 0). */
  unmatched: number;
  total: number;
}

export async function countDoubleClaims(db: Client, held: readonly Held[]): Promise<DoubleClaims> {
  // A claim is a row made CLAIMED with a new token; a claimed row rewritten with its token kept (a
  // re-score giving a held call its new tier) is not a claim.
  const log = await db.query<{ double: number; claimed: number }>(
    `SELECT count(*) FILTER (WHERE old_status = 'CLAIMED' AND token IS DISTINCT FROM old_token)::int AS double,
            count(*) FILTER (WHERE old_status IS DISTINCT FROM 'CLAIMED')::int AS claimed
     FROM bench_claim_log WHERE new_status = 'CLAIMED'`,
  );
  const tokens = await db.query<{ token: string; by: string }>(
    `SELECT token::text AS token, new_claimed_by AS by FROM bench_claim_log
     WHERE new_status = 'CLAIMED' AND token IS DISTINCT FROM old_token`,
  );
  const logged = new Map(tokens.rows.map((r) => [r.token, r.by]));
  let unmatched = Math.abs(logged.size - held.length);
  for (const h of held) if (logged.get(h.token) !== h.listener) unmatched++;

  const seen = new Set<string>();
  let repeatedTokens = 0;
  for (const h of held) {
    if (seen.has(h.token)) repeatedTokens++;
    seen.add(h.token);
  }
  const byCall = new Map<string, Held[]>();
  for (const h of held) {
    const list = byCall.get(h.callId);
    if (list) list.push(h);
    else byCall.set(h.callId, [h]);
  }
  let overlapping = 0;
  for (const list of byCall.values()) {
    list.sort((a, b) => a.gotAt - b.gotAt);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      if (list[i].listener !== prev.listener && list[i].gotAt < prev.releaseSentAt) overlapping++;
    }
  }
  const database = log.rows[0].double;
  return {
    database,
    overlapping,
    repeatedTokens,
    unmatched,
    total: database + overlapping + repeatedTokens,
  };
}

export interface ClaimPlan {
  text: string;
  usesIndex: boolean;
  /** A Sort of calls rows in the plan (rather than of the few candidates). */
  sortsPendingSet: boolean;
  /**
   * PostgreSQL chose the generic plan by itself after its first executions, as on the api's
   * connections (when it does not, every claim is planned afresh: 1.2 ms of CPU each).
   */
  genericPlanChosen: boolean;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the claim statement as the api runs it (a prepared statement on its
 * generic plan, which PostgreSQL settles on after the first executions), in a transaction rolled
 * back afterwards.
 */
export async function explainClaim(db: Client, listener: Listener): Promise<ClaimPlan> {
  await db.query(`PREPARE bench_claim AS ${QueueRepository.claimSql}`);
  const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const args = [
    listener.username,
    `{${listener.establishments.join(',')}}`,
    'LISTENER',
    '127.0.0.1',
    'bench-explain',
  ]
    .map(literal)
    .concat('NULL') // $6: the pinned clock, unset as in the api
    .join(', ');
  let text: string;
  let genericPlanChosen: boolean;
  try {
    // As the api's connections do: PostgreSQL plans the first five executions with their values,
    // then keeps the generic plan if it costs no more. Each claim is rolled back.
    for (let i = 0; i < 8; i++) {
      await db.query('BEGIN');
      try {
        await db.query(`EXECUTE bench_claim(${args})`);
      } finally {
        await db.query('ROLLBACK');
      }
    }
    const plans = await db.query<{ generic: string }>(
      `SELECT generic_plans AS generic FROM pg_prepared_statements WHERE name = 'bench_claim'`,
    );
    genericPlanChosen = Number(plans.rows[0]?.generic ?? 0) > 0;
    await db.query('BEGIN');
    try {
      await db.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      const r = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) EXECUTE bench_claim(${args})`,
      );
      text = r.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await db.query('ROLLBACK');
    }
  } finally {
    await db.query('DEALLOCATE bench_claim');
  }
  // The only sort allowed is of the candidates (one per establishment and the lead's): a Sort keyed
  // on a calls column (c_1.tier, c_2.effective_due_at, …) would be sorting pending calls.
  const sortsPendingSet = /Sort Key: c(_\d+)?\.(tier|effective_due_at)/.test(text);
  const usesIndex =
    /Index Scan using calls_queue_idx/.test(text) &&
    /Index Scan using calls_queue_lead_idx/.test(text);
  return { text, usesIndex, sortsPendingSet, genericPlanChosen };
}
