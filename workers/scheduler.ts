import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Client } from 'pg';
import { AppConfig } from '../src/config/app-config';
import { appDatabaseUrl } from '../src/db/app-role';
import { JobQueueService } from '../src/jobs/job-queue.service';
import { SCHEDULED_JOB_OPTIONS, SCHEDULES, ScheduledJobName } from '../src/jobs/jobs';

/** Arbitrary but fixed key of the session-level advisory lock that elects the one scheduler. */
const SCHEDULER_LOCK_KEY = 7_301_244_015;

/** How often every worker checks its Redis and, standing by, asks for the lock. */
export const HEARTBEAT_MS = 5_000;
/**
 * Failures to reach Redis in a row (heartbeat pings and enqueues alike) after which the leader lets
 * go of the lock: about 15 s of Redis being down, a blip shorter than that changes nothing.
 */
export const MAX_REDIS_FAILURES = 3;
/**
 * After letting go, how long this worker stays out of the election even if its Redis answers again,
 * so that a Redis that answers pings but refuses writes does not win it the lock straight back.
 */
export const STAND_DOWN_MS = 30_000;

/**
 * Holds a Postgres session advisory lock on its own connection: whichever worker holds it schedules,
 * the others stand by. If the leader dies its session ends, the lock is released and another takes
 * over. Scheduling is only enqueueing, so a leader that cannot reach Redis is no leader: it gives the
 * lock up after MAX_REDIS_FAILURES, and a worker only asks for the lock while its Redis answers.
 */
@Injectable()
export class SchedulerLeadership implements OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerLeadership.name);
  private client: Client | null = null;
  private leader = false;
  private failures = 0;
  private standingDownUntil = 0;
  private electing: Promise<boolean> | null = null;
  private closed = false;
  private readonly onElected: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueueService,
  ) {}

  get leading(): boolean {
    return this.leader && this.client !== null;
  }

  /** Runs (not awaited by the election) each time this worker becomes the scheduler. */
  whenElected(listener: () => Promise<unknown>): void {
    this.onElected.push(listener);
  }

  /** Whether this worker schedules; standing by, it asks for the lock first if its Redis answers. */
  isLeader(): Promise<boolean> {
    if (this.leading) return Promise.resolve(true);
    // One election at a time: ticks that fire together share it (and its connection).
    this.electing ??= this.elect().finally(() => (this.electing = null));
    return this.electing;
  }

  /** Every HEARTBEAT_MS: the leader checks its Redis, a standby asks for the lock. */
  async heartbeat(): Promise<void> {
    if (this.leading) await this.report(await this.redisAnswers());
    else await this.isLeader();
  }

  /** The outcome of each attempt to reach Redis while leading. */
  async report(reachedRedis: boolean): Promise<void> {
    if (!this.leading) return;
    if (reachedRedis) {
      this.failures = 0;
      return;
    }
    this.failures += 1;
    if (this.failures >= MAX_REDIS_FAILURES) await this.standDown();
  }

  private async elect(): Promise<boolean> {
    if (this.closed || Date.now() < this.standingDownUntil) return false;
    if (!(await this.redisAnswers())) return false;
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: appDatabaseUrl(this.config),
          application_name: 'mpc-scheduler',
        });
        client.on('error', () => this.drop());
        await client.connect();
        this.client = client;
      }
      const rows = await this.client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS ok',
        [SCHEDULER_LOCK_KEY],
      );
      this.leader = rows.rows[0]?.ok === true;
      // Shut down while asking: let go of what was just taken.
      if (this.closed) await this.onApplicationShutdown();
    } catch (err) {
      this.logger.warn(`Scheduler election failed: ${(err as Error).message}`);
      this.drop();
    }
    if (this.leader) {
      this.failures = 0;
      this.logger.log('This worker is the scheduler');
      for (const listener of this.onElected) {
        listener().catch((err: unknown) =>
          this.logger.warn(`After election: ${(err as Error).message}`),
        );
      }
    }
    return this.leader;
  }

  private async redisAnswers(): Promise<boolean> {
    try {
      await this.jobs.ping();
      return true;
    } catch {
      return false;
    }
  }

  private async standDown(): Promise<void> {
    this.logger.warn(
      `Redis unreachable ${this.failures} times running: giving up the scheduler role to a worker that can reach it`,
    );
    this.standingDownUntil = Date.now() + STAND_DOWN_MS;
    const client = this.client;
    this.client = null;
    this.leader = false;
    this.failures = 0;
    // Ending the session releases its advisory lock.
    await client?.end().catch(() => undefined);
  }

  private drop(): void {
    this.leader = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}

/** Scheduled ticks only enqueue work (with a per-period job id), and only on the elected worker. */
@Injectable()
export class Scheduler {
  constructor(
    private readonly leadership: SchedulerLeadership,
    private readonly jobs: JobQueueService,
    private readonly config: AppConfig,
  ) {
    // A new scheduler (at start, or taking over) enqueues every schedule's current period at once
    // rather than at its next tick, up to a retention tick (10 min) later; the period's job id makes
    // this a no-op for work the previous scheduler already enqueued.
    leadership.whenElected(() => this.catchUp());
  }

  @Interval('scheduler-heartbeat', HEARTBEAT_MS)
  async heartbeat(): Promise<void> {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    await this.leadership.heartbeat();
  }

  @Interval('sweep-expired-leases', SCHEDULES['sweep-expired-leases'].tickMs)
  sweepLeases() {
    return this.tick('sweep-expired-leases');
  }

  @Interval('reconcile-received', SCHEDULES['reconcile-received'].tickMs)
  reconcile() {
    return this.tick('reconcile-received');
  }

  @Interval('expire-authorisations', SCHEDULES['expire-authorisations'].tickMs)
  expireAuthorisations() {
    return this.tick('expire-authorisations');
  }

  @Interval('snapshot-backlog', SCHEDULES['snapshot-backlog'].tickMs)
  snapshotBacklog() {
    return this.tick('snapshot-backlog');
  }

  @Interval('retention-sweep', SCHEDULES['retention-sweep'].tickMs)
  retentionSweep() {
    return this.tick('retention-sweep');
  }

  @Interval('refresh-risk-flags', SCHEDULES['refresh-risk-flags'].tickMs)
  refreshRiskFlags() {
    return this.tick('refresh-risk-flags');
  }

  @Interval('age-waiting-calls', SCHEDULES['age-waiting-calls'].tickMs)
  ageWaitingCalls() {
    return this.tick('age-waiting-calls');
  }

  @Interval('rescore-for-policy', SCHEDULES['rescore-for-policy'].tickMs)
  rescoreForPolicy() {
    return this.tick('rescore-for-policy');
  }

  @Interval('mark-pre-release-digests-due', SCHEDULES['mark-pre-release-digests-due'].tickMs)
  markPreReleaseDigestsDue() {
    return this.tick('mark-pre-release-digests-due');
  }

  @Interval('send-notifications', SCHEDULES['send-notifications'].tickMs)
  sendNotifications() {
    return this.tick('send-notifications');
  }

  @Interval('notification-digest', SCHEDULES['notification-digest'].tickMs)
  notificationDigest() {
    return this.tick('notification-digest');
  }

  /** Returns whether this instance enqueued the job for the current period. */
  async tick(name: ScheduledJobName, at = Date.now()): Promise<boolean> {
    if (this.config.SCHEDULER_ENABLED !== 'true') return false;
    if (!(await this.leadership.isLeader())) return false;
    const period = Math.floor(at / SCHEDULES[name].periodMs);
    const enqueued = await this.jobs.enqueue(name, {}, `${name}-${period}`, SCHEDULED_JOB_OPTIONS);
    await this.leadership.report(enqueued);
    return enqueued;
  }

  private async catchUp(): Promise<void> {
    for (const name of Object.keys(SCHEDULES) as ScheduledJobName[]) {
      if (!(await this.tick(name))) return;
    }
  }
}
