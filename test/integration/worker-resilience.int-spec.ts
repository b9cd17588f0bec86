import { Client } from 'pg';
import { ReconcilerService } from '../../src/calls/reconciler.service';
import { bearer, startApi, TestApi } from '../support/api';
import { freePort, Spawned, spawnWorker, startRedis, waitFor } from '../support/processes';
import { Scenario } from '../support/scenario';

const counts = async (api: TestApi, batchId: string) => {
  const rows: { received: number; triaged: number; runs: number }[] = await api.db.query(
    `SELECT (SELECT count(*)::int FROM calls WHERE batch_id = $1 AND status = 'RECEIVED') AS received,
            (SELECT count(*)::int FROM calls WHERE batch_id = $1 AND triaged_at IS NOT NULL) AS triaged,
            (SELECT coalesce(sum(calls_triaged), 0)::int FROM triage_runs WHERE batch_id = $1) AS runs`,
    [batchId],
  );
  return rows[0];
};

describe('worker resilience', () => {
  // Each case gets its own queue (under the run's prefix, so teardown still removes it): jobs other
  // suites left behind must not hold up, or be taken by, the workers started here.
  const runPrefix = process.env.QUEUE_PREFIX!;
  afterAll(() => {
    process.env.QUEUE_PREFIX = runPrefix;
  });

  describe('a worker killed mid-batch', () => {
    let api: TestApi;
    const workers: Spawned[] = [];

    beforeAll(async () => {
      process.env.QUEUE_PREFIX = `${runPrefix}:killed`;
      api = await startApi();
    });

    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await api.close();
    });

    it('is restarted and every call is triaged exactly once', async () => {
      const s = await Scenario.create(api);
      const prisoner = await s.prisoner();
      await s.authorise(prisoner);
      const { batchId, accepted } = await s.ingest(
        Array.from({ length: 1000 }, () => s.call(prisoner)),
      );
      expect(accepted).toBe(1000);

      // Hold a lock on the 301st call so the worker stalls inside its fourth chunk, mid-batch.
      const blocker = new Client({ connectionString: process.env.DATABASE_URL });
      blocker.on('error', () => undefined);
      await blocker.connect();
      await blocker.query('BEGIN');
      // (Found first, then locked by id: rows skipped by OFFSET would be locked too.)
      const held = await blocker.query<{ id: string }>(
        `SELECT id FROM calls WHERE batch_id = $1 ORDER BY id OFFSET 300 LIMIT 1`,
        [batchId],
      );
      await blocker.query(`SELECT id FROM calls WHERE id = $1 FOR UPDATE`, [held.rows[0].id]);

      const env = { TRIAGE_CHUNK_SIZE: '100', WORKER_LOCK_MS: '2000', SCHEDULER_ENABLED: 'false' };
      const first = spawnWorker(env);
      workers.push(first);
      await waitFor(
        'three chunks triaged',
        () => counts(api, batchId),
        (c) => c.runs === 300,
        30_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\nworker output:\n${first.output()}`);
      });
      first.child.kill('SIGKILL');
      await first.exited;
      await blocker.query('ROLLBACK');
      await blocker.end();

      const halfway = await counts(api, batchId);
      expect(halfway).toEqual({ received: 700, triaged: 300, runs: 300 });

      const second = spawnWorker(env);
      workers.push(second);
      const finished = await waitFor(
        'the batch to finish',
        () => counts(api, batchId),
        (c) => c.received === 0,
        45_000,
      );
      expect(finished).toEqual({ received: 0, triaged: 1000, runs: 1000 });
      const statuses: { status: string; n: number }[] = await api.db.query(
        `SELECT status, count(*)::int AS n FROM calls WHERE batch_id = $1 GROUP BY status`,
        [batchId],
      );
      expect(statuses).toEqual([{ status: 'PENDING', n: 1000 }]);

      // Graceful shutdown on SIGTERM: the worker closes (finishing running jobs) before it exits.
      second.child.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(second.output()).toContain('Worker closed');
    });
  });

  describe('with Redis stopped', () => {
    let api: TestApi;
    let redis: Spawned;
    let port: number;
    const savedRedisUrl = process.env.REDIS_URL;
    const workers: Spawned[] = [];

    beforeAll(async () => {
      port = await freePort();
      redis = startRedis(port);
      await waitFor(
        'redis to start',
        async () => redis.output(),
        (o) => o.includes('Ready to accept connections'),
        10_000,
      );
      process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
      process.env.QUEUE_PREFIX = `${runPrefix}:redis-down`;
      api = await startApi();
    });

    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await api.close();
      redis.child.kill('SIGKILL');
      process.env.REDIS_URL = savedRedisUrl;
    });

    it('still stores the batch, and the reconciler has it triaged once Redis is back', async () => {
      const s = await Scenario.create(api);
      const prisoner = await s.prisoner();
      await s.authorise(prisoner);

      redis.child.kill('SIGKILL');
      await redis.exited;
      const health = await api.http.get('/health');
      expect(health.status).toBe(503);

      const calls = Array.from({ length: 50 }, () => s.call(prisoner));
      const res = await api.http
        .post('/api/calls/batch')
        .set(bearer(s.ingestToken))
        .send({ calls });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ accepted: 50, duplicates: 0, rejected: [] });
      const batchId = (res.body as { batchId: string }).batchId;
      expect(await counts(api, batchId)).toEqual({ received: 50, triaged: 0, runs: 0 });

      redis = startRedis(port);
      await waitFor(
        'redis to restart',
        async () => redis.output(),
        (o) => o.includes('Ready to accept connections'),
        10_000,
      );
      await waitFor(
        'the api to reconnect',
        async () => (await api.http.get('/health')).status,
        (st) => st === 200,
        15_000,
      );

      const worker = spawnWorker({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        SCHEDULER_ENABLED: 'false',
      });
      workers.push(worker);
      const reconciled = await api.app.get(ReconcilerService).enqueueUntriagedBatches(0);
      // Other suites' untriaged batches may be picked up too; this one must be among them.
      expect(reconciled).toBeGreaterThanOrEqual(1);
      const finished = await waitFor(
        'the batch to be triaged',
        () => counts(api, batchId),
        (c) => c.received === 0,
        30_000,
      );
      expect(finished).toEqual({ received: 0, triaged: 50, runs: 50 });

      // Running the reconciler again finds nothing left to do.
      expect(await api.app.get(ReconcilerService).enqueueUntriagedBatches(0)).toBe(0);
    });
  });
});
