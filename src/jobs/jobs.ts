import { JobsOptions } from 'bullmq';

/** Every background job, with its payload. One queue carries them all; one handler each. */
export interface JobPayloads {
  'triage-batch': { batchId: string };
  'reconcile-received': Record<string, never>;
  'sweep-expired-leases': Record<string, never>;
  'expire-authorisations': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES: readonly JobName[] = [
  'triage-batch',
  'reconcile-received',
  'sweep-expired-leases',
  'expire-authorisations',
];

export const WORK_QUEUE = 'work';

/** Retries, backoff and clean-up, set once for every job. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};
