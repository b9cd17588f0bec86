import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobQueueService } from '../jobs/job-queue.service';
import { CallsRepository } from './calls.repository';

/**
 * Postgres is the record and Redis only carries work: calls left RECEIVED (their job was never
 * enqueued because Redis was down, or it failed for good) get their triage job back.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly jobs: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  async enqueueUntriagedBatches(
    olderThanSeconds = this.config.RECONCILE_AFTER_SECONDS,
  ): Promise<number> {
    const batches = await this.calls.staleReceivedBatches(olderThanSeconds);
    let enqueued = 0;
    for (const batchId of batches) {
      const outcome = await this.jobs.ensure('triage-batch', { batchId }, `triage-${batchId}`);
      if (outcome !== 'present') enqueued += 1;
    }
    if (enqueued)
      this.logger.warn({ batches: enqueued }, 'Re-enqueued triage for calls left untriaged');
    return enqueued;
  }
}
