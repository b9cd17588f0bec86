import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Client } from 'pg';
import { AppConfig } from '../src/config/app-config';
import { JobQueueService } from '../src/jobs/job-queue.service';
import { SCHEDULED_JOB_OPTIONS, SCHEDULES, ScheduledJobName } from '../src/jobs/jobs';

/** Arbitrary but fixed key of the session-level advisory lock that elects the one scheduler. */
const SCHEDULER_LOCK_KEY = 7_301_244_015;

/**
 * Holds a Postgres session advisory lock on its own connection: whichever worker holds it schedules,
 * the others stand by. If the leader dies its session ends, the lock is released and another takes over.
 */
@Injectable()
export class SchedulerLeadership implements OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerLeadership.name);
  private client: Client | null = null;
  private leader = false;

  constructor(private readonly config: AppConfig) {}

  async isLeader(): Promise<boolean> {
    if (this.leader && this.client) return true;
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: this.config.DATABASE_URL,
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
      if (this.leader) this.logger.log('This worker is the scheduler');
    } catch (err) {
      this.logger.warn(`Scheduler election failed: ${(err as Error).message}`);
      this.drop();
    }
    return this.leader;
  }

  private drop(): void {
    this.leader = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
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
  ) {}

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

  /** Returns whether this instance enqueued the job for the current period. */
  async tick(name: ScheduledJobName, at = Date.now()): Promise<boolean> {
    if (this.config.SCHEDULER_ENABLED !== 'true') return false;
    if (!(await this.leadership.isLeader())) return false;
    const period = Math.floor(at / SCHEDULES[name].periodMs);
    return this.jobs.enqueue(name, {}, `${name}-${period}`, SCHEDULED_JOB_OPTIONS);
  }
}
