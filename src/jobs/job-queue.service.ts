import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { DEFAULT_JOB_OPTIONS, JobName, JobPayloads, JobsOptions, WORK_QUEUE } from './jobs';

const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Producer side of the work queue. Postgres is the record: a failed enqueue is logged and left to
 * the reconciler, never allowed to fail the request that wrote the data.
 */
@Injectable()
export class JobQueueService implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueueService.name);
  private readonly connection: Redis;
  private readonly queue: Queue;

  constructor(config: AppConfig) {
    // No offline queue: when Redis is down, commands fail at once instead of piling up in memory.
    this.connection = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    this.connection.on('error', (err) => this.logger.debug(`Redis: ${err.message}`));
    this.queue = new Queue(WORK_QUEUE, {
      connection: this.connection,
      prefix: config.QUEUE_PREFIX,
    });
    this.queue.on('error', (err) => this.logger.debug(`Queue: ${err.message}`));
  }

  /** Adds a job; a deterministic jobId makes a repeated enqueue of the same work a no-op. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    jobId?: string,
    options: JobsOptions = DEFAULT_JOB_OPTIONS,
  ): Promise<boolean> {
    try {
      await withTimeout(
        this.queue.add(name, payload, { ...options, ...(jobId ? { jobId } : {}) }),
        ENQUEUE_TIMEOUT_MS,
      );
      return true;
    } catch (err) {
      this.logger.warn(
        { job: name, jobId, err: (err as Error).message },
        'Could not enqueue; the reconciler will retry',
      );
      return false;
    }
  }

  /**
   * Makes sure a job with this id is waiting or running: adds it when absent, retries it when it had
   * failed for good. Used by the reconciler, so that a slow queue is not flooded with copies.
   */
  async ensure<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    jobId: string,
  ): Promise<'added' | 'retried' | 'present'> {
    const existing = await withTimeout(this.queue.getJob(jobId), ENQUEUE_TIMEOUT_MS);
    if (!existing) {
      await withTimeout(
        this.queue.add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId }),
        ENQUEUE_TIMEOUT_MS,
      );
      return 'added';
    }
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry('failed');
      return 'retried';
    }
    if (state === 'completed') {
      await existing.remove();
      await this.queue.add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId });
      return 'added';
    }
    return 'present';
  }

  /** Used by the health check. */
  async ping(): Promise<void> {
    await withTimeout(this.connection.ping(), 1000);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
