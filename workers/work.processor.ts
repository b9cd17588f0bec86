import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { hostname } from 'node:os';
import { ReconcilerService } from '../src/calls/reconciler.service';
import { AppConfig } from '../src/config/app-config';
import { JOB_NAMES, JobName, JobPayloads, WORK_QUEUE } from '../src/jobs/jobs';
import { MonitoringService } from '../src/monitoring/monitoring.service';
import { NotificationSender } from '../src/notifications/notification-sender';
import { NotificationsService } from '../src/notifications/notifications.service';
import { OversightService } from '../src/oversight/oversight.service';
import { PatternsService } from '../src/patterns/patterns.service';
import { QueueService } from '../src/queue/queue.service';
import { PreReleaseDigestService } from '../src/reports/digest.service';
import { RetentionService } from '../src/retention/retention.service';
import { RiskFlagsService } from '../src/risk-flags/risk-flags.service';
import { TriageService } from '../src/triage/triage.service';

type Handlers = { [N in JobName]: (payload: JobPayloads[N]) => Promise<unknown> };

/**
 * Runs the work queue's jobs. Every handler is idempotent: BullMQ delivers at least once (a job
 * whose worker died is handed to another), and a second run finds nothing left to do.
 */
@Injectable()
export class WorkProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkProcessor.name);
  private worker?: Worker;
  private readonly handlers: Handlers;

  constructor(
    private readonly config: AppConfig,
    triage: TriageService,
    queue: QueueService,
    monitoring: MonitoringService,
    reconciler: ReconcilerService,
    oversight: OversightService,
    retention: RetentionService,
    riskFlags: RiskFlagsService,
    patterns: PatternsService,
    digests: PreReleaseDigestService,
    notificationSender: NotificationSender,
    notifications: NotificationsService,
  ) {
    this.handlers = {
      // Detection runs even when triage finds nothing left (a retry after a crash between the two).
      'triage-batch': async ({ batchId }) => {
        const triaged = await triage.triageBatch(batchId);
        const found = await patterns.detectAfterBatch(batchId);
        return { triaged, ...found };
      },
      'reconcile-received': () => reconciler.enqueueUntriagedBatches(),
      'sweep-expired-leases': () => queue.returnExpiredLeases(),
      'expire-authorisations': () => monitoring.expireDue(),
      'snapshot-backlog': () => oversight.snapshotAll(),
      'retention-sweep': () => retention.sweep(),
      'refresh-risk-flags': () => riskFlags.refresh(null),
      'age-waiting-calls': async () => ({ rescored: await triage.rescoreAgedCalls() }),
      'rescore-for-policy': () => triage.rescoreForPolicy(),
      'mark-pre-release-digests-due': () => digests.markDigestsDue(),
      'send-notifications': () => notificationSender.sendDue(),
      'notification-digest': () => notifications.writeDailyDigests(),
    };
    const missing = JOB_NAMES.filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length) throw new Error(`No handler for jobs: ${missing.join(', ')}`);
  }

  onApplicationBootstrap(): void {
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', (err) => this.logger.warn(`Redis: ${err.message}`));
    this.worker = new Worker(WORK_QUEUE, (job: Job) => this.handle(job), {
      connection,
      // Stored on each job it runs: with several workers, which one has (or had) a job.
      name: `${hostname()}:${process.pid}`,
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      lockDuration: this.config.WORKER_LOCK_MS,
      stalledInterval: Math.min(this.config.WORKER_LOCK_MS, 30_000),
    });
    this.worker.on('failed', (job, err) =>
      this.logger.error(
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        'Job failed',
      ),
    );
    this.worker.on('error', (err) => this.logger.warn(`Worker: ${err.message}`));
    this.logger.log(`Processing ${WORK_QUEUE} with concurrency ${this.config.WORKER_CONCURRENCY}`);
  }

  /** Graceful: stop taking jobs and let the running ones finish before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.logger.log('Worker closed: running jobs finished, no new jobs taken');
  }

  private async handle(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    if (!(JOB_NAMES as readonly string[]).includes(name))
      throw new Error(`Unknown job ${job.name}`);
    const handler = this.handlers[name] as (payload: unknown) => Promise<unknown>;
    return handler(job.data);
  }
}
