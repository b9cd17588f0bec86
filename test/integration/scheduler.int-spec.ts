import 'reflect-metadata';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { JobQueueService } from '../../src/jobs/job-queue.service';
import { WORK_QUEUE } from '../../src/jobs/jobs';
import { Scheduler, SchedulerLeadership } from '../../workers/scheduler';
import { applyTestEnv } from '../support/api';

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

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  function worker() {
    const leadership = new SchedulerLeadership(config);
    const jobs = new JobQueueService(config);
    closers.push(
      () => jobs.onModuleDestroy(),
      () => leadership.onApplicationShutdown(),
    );
    return { leadership, scheduler: new Scheduler(leadership, jobs, config) };
  }

  it('is run by one worker at a time, another takes over when it stops, and a period is enqueued once', async () => {
    const a = worker();
    const b = worker();
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
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => j.id)).toEqual([`snapshot-backlog-${Math.floor(at / 3_600_000)}`]);

    await leader.leadership.onApplicationShutdown();
    expect(await standby.leadership.isLeader()).toBe(true);
    expect(await standby.scheduler.tick('snapshot-backlog', at + 3_600_000)).toBe(true);
  });
});
