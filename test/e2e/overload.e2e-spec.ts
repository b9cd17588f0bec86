import { Client } from 'pg';
import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, quietLog, Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

interface Held {
  listener: Staffer;
  callId: string;
  token: string;
}

/**
 * A pool far smaller than the number of listeners pressing Submit at once. Before the transaction
 * guard, a log's transaction read the establishment's settings on a second pooled connection: with
 * every connection held by a log waiting for another, the api answered nothing, health included.
 */
describe('a busy moment with a small pool', () => {
  let api: TestApi;
  let s: Scenario;
  let prisoner: string;

  beforeAll(async () => {
    process.env.DB_POOL_SIZE = '3';
    process.env.DB_ACQUIRE_TIMEOUT_MS = '1000';
    process.env.DB_LOCK_TIMEOUT_MS = '1500';
    api = await startApi();
    s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner);
  });

  afterAll(async () => {
    await api.close();
  });

  /** `n` listeners, each holding one call of the prisoner. */
  async function listenersHoldingCalls(n: number): Promise<Held[]> {
    await s.ingestAndTriage(Array.from({ length: n }, () => s.call(prisoner)));
    const held: Held[] = [];
    for (let i = 0; i < n; i++) {
      const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
      const res = await s.claim(listener).expect(200);
      held.push({ listener, callId: res.body.call.id, token: res.body.claim.token });
    }
    return held;
  }

  const submit = (h: Held, body: object) =>
    api.http.post(`/api/calls/${h.callId}/log`).set(bearer(h.listener.token)).send(body);

  const logsOf = async (callIds: string[]) =>
    (
      await api.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM monitoring_logs WHERE call_id = ANY($1)`,
        [callIds],
      )
    )[0].n;

  it('saves every log when twelve listeners submit at once on three connections, HIGH concerns included', async () => {
    const held = await listenersHoldingCalls(12);
    const started = Date.now();
    const answers = await Promise.all(
      held.map((h, i) => submit(h, i % 3 === 0 ? highLogWithThreat(h.token) : quietLog(h.token))),
    );
    expect(answers.map((a) => a.status)).toEqual(held.map(() => 201));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await logsOf(held.map((h) => h.callId))).toBe(12);
    await api.http.get('/health').expect(200);
  });

  it('answers 503 with Retry-After within seconds when the database cannot keep up, writes nothing half-way, and recovers', async () => {
    const held = await listenersHoldingCalls(8);
    // Another session holds the calls' rows, as a long transaction would: every log waits on a lock
    // while holding a pooled connection, and the rest wait for a connection.
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    let answers: { status: number; headers: Record<string, string>; ms: number }[];
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT id FROM calls WHERE id = ANY($1) FOR UPDATE`, [
        held.map((h) => h.callId),
      ]);
      answers = await Promise.all(
        held.map(async (h) => {
          const t0 = Date.now();
          const res = await submit(h, quietLog(h.token));
          return {
            status: res.status,
            headers: res.headers,
            ms: Date.now() - t0,
          };
        }),
      );
      // While overloaded, health still answers (its own short query), never hangs.
      const health = await api.http.get('/health');
      expect([200, 503]).toContain(health.status);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    for (const a of answers) {
      expect(a.ms).toBeLessThan(10_000);
      expect(a.status).toBe(503);
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Nothing was half-written: no log, every call still held by its listener.
    expect(await logsOf(held.map((h) => h.callId))).toBe(0);
    const calls = await api.db.query<{ status: string; claimedBy: string }[]>(
      `SELECT status, claimed_by AS "claimedBy" FROM calls WHERE id = ANY($1)`,
      [held.map((h) => h.callId)],
    );
    expect(calls.map((c) => c.status)).toEqual(held.map(() => 'CLAIMED'));

    // The load gone, the api answers at once and the same Submit goes through.
    await api.http.get('/health').expect(200);
    const retried = await Promise.all(held.map((h) => submit(h, quietLog(h.token))));
    expect(retried.map((r) => r.status)).toEqual(held.map(() => 201));
    expect(await logsOf(held.map((h) => h.callId))).toBe(8);
  });
});
