import { JobsOptions } from 'bullmq';

export type { JobsOptions };

/** Every background job, with its payload. One queue carries them all; one handler each. */
export interface JobPayloads {
  'triage-batch': { batchId: string };
  'reconcile-received': Record<string, never>;
  'sweep-expired-leases': Record<string, never>;
  'expire-authorisations': Record<string, never>;
  'snapshot-backlog': Record<string, never>;
  'retention-sweep': Record<string, never>;
  'refresh-risk-flags': Record<string, never>;
  'age-waiting-calls': Record<string, never>;
  'rescore-for-policy': Record<string, never>;
  'mark-pre-release-digests-due': Record<string, never>;
  'send-notifications': Record<string, never>;
  'notification-digest': Record<string, never>;
}

export type JobName = keyof JobPayloads;
export type ScheduledJobName = Exclude<JobName, 'triage-batch'>;

export const JOB_NAMES: readonly JobName[] = [
  'triage-batch',
  'reconcile-received',
  'sweep-expired-leases',
  'expire-authorisations',
  'snapshot-backlog',
  'retention-sweep',
  'refresh-risk-flags',
  'age-waiting-calls',
  'rescore-for-policy',
  'mark-pre-release-digests-due',
  'send-notifications',
  'notification-digest',
];

/**
 * When each scheduled job runs: the elected worker ticks every `tickMs` and enqueues the job with an
 * id naming its period, so it runs once per `periodMs` however often the tick fires or the worker
 * restarts (completed scheduled jobs are kept for two days, so the id stays taken).
 */
export const SCHEDULES: Record<ScheduledJobName, { tickMs: number; periodMs: number }> = {
  'sweep-expired-leases': { tickMs: 15_000, periodMs: 15_000 },
  'reconcile-received': { tickMs: 60_000, periodMs: 60_000 },
  'expire-authorisations': { tickMs: 60_000, periodMs: 60_000 },
  'snapshot-backlog': { tickMs: 5 * 60_000, periodMs: 3_600_000 },
  'retention-sweep': { tickMs: 10 * 60_000, periodMs: 24 * 3_600_000 },
  'refresh-risk-flags': { tickMs: 10 * 60_000, periodMs: 24 * 3_600_000 },
  // Calls climb a tier once they have waited twice their tier's SLA (TriageService.rescoreAgedCalls).
  'age-waiting-calls': { tickMs: 10 * 60_000, periodMs: 3_600_000 },
  // Once per POLICY_VERSION (TriageService.rescoreForPolicy); the hourly run is a single lookup after.
  'rescore-for-policy': { tickMs: 10 * 60_000, periodMs: 3_600_000 },
  // Daily: a digest for the COM is due at the prisoner's handover date (PreReleaseDigestService).
  'mark-pre-release-digests-due': { tickMs: 10 * 60_000, periodMs: 24 * 3_600_000 },
  // The outbox's due rows (NotificationSender.sendDue): an immediate email leaves within 15 s.
  'send-notifications': { tickMs: 15_000, periodMs: 15_000 },
  // Hourly; writes the day's digest once, from 07:00 London time (NotificationsService).
  'notification-digest': { tickMs: 10 * 60_000, periodMs: 3_600_000 },
};

export const WORK_QUEUE = 'work';

/** Retries, backoff and clean-up, set once for every job. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const SCHEDULED_JOB_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  removeOnComplete: { age: 2 * 24 * 3600 },
};
