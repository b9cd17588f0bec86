import { Queue } from 'bullmq';
import Redis from 'ioredis';
import * as path from 'node:path';
import request from 'supertest';
import { WORK_QUEUE } from '../../src/jobs/jobs';
import { bearer, startApi, TestApi } from '../support/api';
import { freePort, spawnProcess, Spawned, spawnWorker, waitFor } from '../support/processes';
import { Scenario, Staffer } from '../support/scenario';

const ROOT = path.resolve(__dirname, '../..');
/** The scheduler's advisory lock key (workers/scheduler.ts), as pg_locks shows a bigint key. */
const SCHEDULER_LOCK_KEY = 7_301_244_015;

interface Instance {
  name: string;
  proc: Spawned;
  http: ReturnType<typeof request>;
}

/**
 * Two compiled apis and two compiled workers, as a deployment with more than one of each runs them,
 * against the run's one database and one Redis (a queue prefix of their own). The in-process api is
 * only the tests' way of building staff and prisoners; every request measured here goes to a spawned
 * api.
 */
describe('two apis and two workers on one database and Redis', () => {
  const runPrefix = process.env.QUEUE_PREFIX!;
  let setup: TestApi;
  let s: Scenario;
  const apis: Instance[] = [];
  const workers: Spawned[] = [];
  let queue: Queue;
  let queueConnection: Redis;

  const schedulerLocks = async () =>
    (
      await setup.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid::bigint * 4294967296 + l.objid::bigint = $1`,
        [SCHEDULER_LOCK_KEY],
      )
    )[0].n;
  const saysScheduler = (w: Spawned) => w.output().includes('This worker is the scheduler');

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = `${runPrefix}:many`;
    setup = await startApi();
    s = await Scenario.create(setup);
    const env = {
      ...(process.env as Record<string, string>),
      LOG_LEVEL: 'info',
      SCHEDULER_ENABLED: 'true',
      WORKER_CONCURRENCY: '2',
    };
    workers.push(spawnWorker(env), spawnWorker(env));
    for (const name of ['api-a', 'api-b']) {
      const port = await freePort();
      const proc = spawnProcess(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
        ...env,
        LOG_LEVEL: 'warn',
        PORT: String(port),
      });
      apis.push({ name, proc, http: request(`http://127.0.0.1:${port}`) });
    }
    for (const api of apis)
      await waitFor(
        `${api.name} to be healthy`,
        () =>
          api.http
            .get('/health')
            .then((r) => r.status)
            .catch(() => 0),
        (status) => status === 200,
        30_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${api.proc.output()}`);
      });
    for (const w of workers)
      await waitFor(
        'both workers to take jobs',
        async () => w.output(),
        (o) => o.includes('Processing work'),
        30_000,
      );
    queueConnection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue(WORK_QUEUE, {
      connection: queueConnection,
      prefix: process.env.QUEUE_PREFIX,
    });
  }, 90_000);

  afterAll(async () => {
    for (const p of [...apis.map((a) => a.proc), ...workers]) p.child.kill('SIGKILL');
    await Promise.all([...apis.map((a) => a.proc.exited), ...workers.map((w) => w.exited)]);
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    queueConnection?.disconnect();
    await setup?.close();
    process.env.QUEUE_PREFIX = runPrefix;
  });

  it('shares triage, never gives one call to two listeners, answers alike and elects one scheduler', async () => {
    const startedAt = Date.now();
    const prisoners = [await s.prisoner(), await s.prisoner(), await s.prisoner()];
    for (const p of prisoners) await s.authorise(p);

    // Triage shared: 24 batches posted through both apis; each call is triaged exactly once, by
    // whichever worker took its batch (the job hash names the worker while it runs).
    const processedBy = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const job of await queue.getActive())
          if (job.processedBy) processedBy.add(job.processedBy);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const batches = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const res = await apis[i % 2].http
          .post('/api/calls/batch')
          .set(bearer(s.ingestToken))
          .send({ calls: Array.from({ length: 50 }, () => s.call(prisoners[i % 3])) })
          .expect(202);
        return (res.body as { batchId: string; accepted: number }).batchId;
      }),
    );
    const triaged = await waitFor(
      'every batch triaged',
      async () =>
        (
          await setup.db.query<{ received: number; pending: number; runs: number }[]>(
            `SELECT count(*) FILTER (WHERE status = 'RECEIVED')::int AS received,
                    count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
                    (SELECT coalesce(sum(calls_triaged), 0)::int FROM triage_runs WHERE batch_id = ANY($1::uuid[])) AS runs
             FROM calls WHERE batch_id = ANY($1::uuid[])`,
            [batches],
          )
        )[0],
      (c) => c.received === 0,
      30_000,
    );
    watching = false;
    await watch;
    expect(triaged).toEqual({ received: 0, pending: 1200, runs: 1200 });
    // Both workers took batches (24 jobs between two idle workers; seen while they ran).
    expect(processedBy.size).toBe(2);

    // Claims through both apis at once: 20 listeners, half on each api, for 15 calls at a time.
    const listeners: Staffer[] = [];
    for (let i = 0; i < 20; i++) listeners.push(await s.staff(['LISTENER']));
    // All but 15 of the waiting calls count as heard. Not NOT_MONITORED: their prisoners are
    // monitored, so any re-score of them (the new scheduler's policy re-score, 15 s after the
    // workers start) would queue those calls again.
    await setup.db.query(
      `UPDATE calls SET status = 'LOGGED', logged_at = now() WHERE establishment_code = $1 AND status = 'PENDING'
         AND id NOT IN (SELECT id FROM calls WHERE establishment_code = $1 AND status = 'PENDING' LIMIT 15)`,
      [s.establishment],
    );
    const seen: string[] = [];
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        listeners.map((l, i) =>
          apis[i % 2].http.post('/api/queue/claim').set(bearer(l.token)).send({}),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([
        ...Array<number>(15).fill(200),
        ...Array<number>(5).fill(204),
      ]);
      const held = answers.flatMap((a, i) =>
        a.status === 200
          ? [
              {
                listener: listeners[i],
                api: apis[(i + round) % 2],
                id: (a.body as { call: { id: string } }).call.id,
                token: (a.body as { claim: { token: string } }).claim.token,
              },
            ]
          : [],
      );
      expect(new Set(held.map((h) => h.id)).size).toBe(15);
      seen.push(...held.map((h) => h.id));
      // The database agrees: each call held by the one listener who was told so.
      const claimed = await setup.db.query<{ id: string; claimedBy: string }[]>(
        `SELECT id, claimed_by AS "claimedBy" FROM calls WHERE establishment_code = $1 AND status = 'CLAIMED'`,
        [s.establishment],
      );
      expect(new Map(claimed.map((c) => [c.id, c.claimedBy]))).toEqual(
        new Map(held.map((h) => [h.id, h.listener.username])),
      );
      // Released through the other api than the one that leased it.
      for (const h of held)
        await h.api.http
          .post(`/api/calls/${h.id}/release`)
          .set(bearer(h.listener.token))
          .send({ token: h.token })
          .expect(200);
    }
    const audited = await setup.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'CALL_CLAIMED' AND entity_id = ANY($1)`,
      [seen],
    );
    expect(audited[0].n).toBe(60);

    // The same answers from either api.
    const head = await s.staff(['HEAD_OF_OMU']);
    const callId = seen[0];
    const [callA, callB] = await Promise.all(
      apis.map((a) => a.http.get(`/api/calls/${callId}`).set(bearer(head.token)).expect(200)),
    );
    expect(callB.body).toEqual(callA.body);
    const [summaryA, summaryB] = await Promise.all(
      apis.map((a) =>
        a.http
          .get(`/api/backlog/summary?establishment=${s.establishment}`)
          .set(bearer(head.token))
          .expect(200),
      ),
    );
    const { generatedAt: _a, ...restA } = summaryA.body as Record<string, unknown>;
    const { generatedAt: _b, ...restB } = summaryB.body as Record<string, unknown>;
    expect(restB).toEqual(restA);
    expect(restA).toMatchObject({ pending: { total: 15 } });

    // One scheduler: the first tick (15 s after start) elects one worker; the other stands by.
    await waitFor('a scheduler', schedulerLocks, (n) => n >= 1, 30_000);
    expect(await schedulerLocks()).toBe(1);
    const leaders = workers.filter(saysScheduler);
    expect(leaders).toHaveLength(1);
    const standby = workers.find((w) => !saysScheduler(w))!;

    // It stops; the other takes the lock at its next tick.
    leaders[0].child.kill('SIGTERM');
    await leaders[0].exited;
    await waitFor('the standby to take over', async () => saysScheduler(standby), Boolean, 25_000);
    expect(await schedulerLocks()).toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(75_000);
  }, 120_000);
});
