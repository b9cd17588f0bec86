import 'reflect-metadata';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { JobQueueService } from '../../src/jobs/job-queue.service';
import { SCHEDULES, WORK_QUEUE } from '../../src/jobs/jobs';
import { MAX_REDIS_FAILURES, Scheduler, SchedulerLeadership } from '../../workers/scheduler';
import { applyTestEnv, startApi, TestApi } from '../support/api';
import { freePort, Spawned, spawnWorker, startRedis, waitFor } from '../support/processes';
import { Scenario } from '../support/scenario';

/** A redis-server of the test's own, so that it can be stopped without disturbing the run. */
async function privateRedis(): Promise<{ url: string; server: Spawned }> {
  const port = await freePort();
  const server = startRedis(port);
  await waitFor(
    'redis to start',
    async () => server.output(),
    (o) => o.includes('Ready to accept connections'),
    10_000,
  );
  return { url: `redis://127.0.0.1:${port}`, server };
}

async function stop(server: Spawned): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

describe('the scheduler', () => {
  let config: AppConfig;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(() => {
    applyTestEnv();
    // A queue of its own, so that nothing else in the run sees these jobs.
    config = {
      ...loadConfig(),
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}:scheduler`,
    };
  });

  // Each case releases what it took: a lock left held would decide the next case's election.
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
  });

  /** The worker's scheduling parts, in process; waits for its Redis unless told it is down. */
  async function worker(settings: AppConfig = config, redisUp = true) {
    const jobs = new JobQueueService(settings);
    const leadership = new SchedulerLeadership(settings, jobs);
    closers.push(
      () => jobs.onModuleDestroy(),
      () => leadership.onApplicationShutdown(),
    );
    if (redisUp) {
      await waitFor(
        'the worker to reach Redis',
        () =>
          jobs.ping().then(
            () => true,
            () => false,
          ),
        Boolean,
        10_000,
      );
    }
    return { leadership, scheduler: new Scheduler(leadership, jobs, settings) };
  }

  it('is run by one worker at a time, another takes over when it stops, and a period is enqueued once', async () => {
    const a = await worker();
    const b = await worker();
    const leaders = [await a.leadership.isLeader(), await b.leadership.isLeader()];
    expect(leaders.filter(Boolean)).toHaveLength(1);
    // Asking again does not change who leads.
    expect([await a.leadership.isLeader(), await b.leadership.isLeader()]).toEqual(leaders);

    const [leader, standby] = leaders[0] ? [a, b] : [b, a];
    const at = Date.UTC(2026, 10, 27, 10, 7);
    expect(await standby.scheduler.tick('snapshot-backlog', at)).toBe(false);
    expect(await leader.scheduler.tick('snapshot-backlog', at)).toBe(true);
    // A second tick in the same hour adds no second job (same job id).
    expect(await leader.scheduler.tick('snapshot-backlog', at + 20 * 60_000)).toBe(true);
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(WORK_QUEUE, { connection, prefix: config.QUEUE_PREFIX });
    closers.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    });
    const period = `snapshot-backlog-${Math.floor(at / 3_600_000)}`;
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => j.id).filter((id) => id === period)).toEqual([period]);
    // Elected, it also enqueued every schedule's current period at once, not at the next tick.
    await waitFor(
      'the catch-up after election',
      async () => (await queue.getJobs(['waiting', 'active', 'completed'])).map((j) => j.id),
      (ids) => ids.some((id) => id?.startsWith('expire-authorisations-')),
      5_000,
    );

    await leader.leadership.onApplicationShutdown();
    expect(await standby.leadership.isLeader()).toBe(true);
    expect(await standby.scheduler.tick('snapshot-backlog', at + 3_600_000)).toBe(true);
  });

  it('lets go when its Redis is gone, and a worker without Redis does not take the lock', async () => {
    const redis = await privateRedis();
    closers.push(() => stop(redis.server));
    const cut = await worker({ ...config, REDIS_URL: redis.url });
    expect(await cut.leadership.isLeader()).toBe(true);
    // Let the catch-up after election finish first: an enqueue of it failing once Redis is gone
    // would count as a failure too, and the count below would be one short.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(WORK_QUEUE, { connection, prefix: config.QUEUE_PREFIX });
    await waitFor(
      'the catch-up after election',
      async () => (await queue.getJobs(['waiting', 'active', 'completed', 'delayed'])).length,
      (n) => n === Object.keys(SCHEDULES).length,
      10_000,
    );
    await queue.close();
    connection.disconnect();

    await stop(redis.server);
    for (let i = 1; i < MAX_REDIS_FAILURES; i++) {
      await cut.leadership.heartbeat();
      expect(cut.leadership.leading).toBe(true);
    }
    // Its own enqueue failing counts as well.
    expect(await cut.scheduler.tick('sweep-expired-leases')).toBe(false);
    expect(cut.leadership.leading).toBe(false);
    expect(await cut.leadership.isLeader()).toBe(false);

    // The lock is free, but a worker whose Redis does not answer does not take it...
    const deadPort = await freePort();
    const unreachable = await worker(
      { ...config, REDIS_URL: `redis://127.0.0.1:${deadPort}` },
      false,
    );
    expect(await unreachable.leadership.isLeader()).toBe(false);
    await unreachable.leadership.heartbeat();
    expect(unreachable.leadership.leading).toBe(false);
    // ...and a healthy one does.
    const healthy = await worker();
    expect(await healthy.leadership.isLeader()).toBe(true);
  });

  describe('as worker processes', () => {
    let api: TestApi;
    const processes: Spawned[] = [];

    beforeAll(async () => {
      api = await startApi();
    });

    afterAll(async () => {
      for (const p of processes) await stop(p);
      await api.close();
    });

    it('hands the role to a healthy worker within a minute when the scheduler loses Redis, and authorisations still expire', async () => {
      const s = await Scenario.create(api);
      const prisoner = await s.prisoner();
      const authorisation = await s.authorise(prisoner, {
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      const statusOf = async () => {
        const rows = await api.db.query<{ status: string }[]>(
          `SELECT status FROM monitoring_authorisations WHERE id = $1`,
          [authorisation],
        );
        return rows[0].status;
      };
      const env = { QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}:leadership`, LOG_LEVEL: 'info' };
      const elected = (p: Spawned) => p.output().includes('This worker is the scheduler');

      const redis = await privateRedis();
      processes.push(redis.server);
      const first = spawnWorker({ ...env, REDIS_URL: redis.url });
      processes.push(first);
      await waitFor('the first worker to lead', async () => elected(first), Boolean, 30_000);

      await stop(redis.server);
      const cutAt = Date.now();
      // Past its end only now: the first worker could no longer have it expired.
      await api.db.query(
        `UPDATE monitoring_authorisations SET ends_at = now() - interval '1 minute' WHERE id = $1`,
        [authorisation],
      );
      const second = spawnWorker(env);
      processes.push(second);
      await waitFor(
        'the healthy worker to lead',
        async () => elected(second),
        Boolean,
        60_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\nfirst worker:\n${first.output().slice(-3000)}`);
      });
      expect(Date.now() - cutAt).toBeLessThan(60_000);
      expect(first.output()).toContain('giving up the scheduler role');
      await waitFor('the authorisation to expire', statusOf, (st) => st === 'EXPIRED', 20_000);
    }, 120_000);
  });
});
