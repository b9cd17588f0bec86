import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { LEASE_MS, MAX_ATTEMPTS, nextAttemptAt } from './notification-rules';
import { ClaimedNotification, NotificationsRepository } from './notifications.repository';
import { NotifyGateway } from './notify-gateway';

/** Rows one sender takes per claim; the job claims again until nothing is due. */
const CLAIM_BATCH = 20;

export interface SendRun {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends the outbox's due rows (the worker's `send-notifications` job, every 15 s). Exactly once:
 * a row is claimed under a lease (FOR UPDATE SKIP LOCKED, so two senders never hold one), sent with
 * its own id as Notify's `reference`, and marked SENT with Notify's id. A row tried before (a
 * retry, or a lease that ran out because its sender died after Notify took the email and before
 * the row was marked) is first looked up by reference at Notify; found, it is marked SENT without
 * sending again. 429, 5xx and no answer are retried with exponential backoff; 400 and 403 are
 * FAILED with Notify's error at once.
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly notify: NotifyGateway,
    private readonly clock: Clock,
  ) {}

  async sendDue(): Promise<SendRun> {
    const run: SendRun = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const now = this.clock.now();
      const leaseUntil = new Date(now.getTime() + LEASE_MS);
      const claimed = await this.notifications.claimDue(now, leaseUntil, CLAIM_BATCH);
      for (const row of claimed) run[await this.sendOne(row, leaseUntil)] += 1;
      if (claimed.length < CLAIM_BATCH) return run;
    }
  }

  private async sendOne(
    row: ClaimedNotification,
    leaseUntil: Date,
  ): Promise<'sent' | 'retried' | 'failed'> {
    const context = { notificationId: row.id, kind: row.kind, to: row.recipientUsername };
    if (!this.notify.live) {
      // Log only: no key, nothing leaves; the row says it was dealt with, without a Notify id.
      this.logger.log(
        { ...context, templateId: row.templateId, personalisation: row.personalisation },
        'Notification (log only: NOTIFY_API_KEY is not set)',
      );
      await this.notifications.markSent(row.id, null, this.clock.now());
      return 'sent';
    }
    if (!row.recipientEmail || !row.templateId) {
      const why = !row.recipientEmail
        ? `no email address recorded for ${row.recipientUsername}`
        : `no Notify template set for ${row.kind === 'DAILY_DIGEST' ? 'the digest' : 'escalations'} at ${row.establishmentCode}`;
      await this.notifications.markFailed(row.id, leaseUntil, why);
      return 'failed';
    }
    try {
      if (row.attempts > 1) {
        const already = await this.notify.findByReference(row.id);
        if (already) {
          await this.notifications.markSent(row.id, already, this.clock.now());
          return 'sent';
        }
      }
    } catch (err) {
      return this.retry(row, leaseUntil, `reference check: ${(err as Error).message}`);
    }
    const result = await this.notify.sendEmail({
      templateId: row.templateId,
      emailAddress: row.recipientEmail,
      personalisation: row.personalisation,
      reference: row.id,
    });
    if (result.ok) {
      await this.notifications.markSent(row.id, result.notifyId, this.clock.now());
      this.logger.log({ ...context, notifyId: result.notifyId }, 'Notification sent');
      return 'sent';
    }
    if (result.outcome === 'FAIL') {
      await this.notifications.markFailed(row.id, leaseUntil, result.error);
      this.logger.warn({ ...context, error: result.error }, 'Notification refused by Notify');
      return 'failed';
    }
    return this.retry(row, leaseUntil, result.error);
  }

  private async retry(
    row: ClaimedNotification,
    leaseUntil: Date,
    error: string,
  ): Promise<'retried' | 'failed'> {
    if (row.attempts >= MAX_ATTEMPTS) {
      await this.notifications.markFailed(
        row.id,
        leaseUntil,
        `gave up after ${row.attempts} attempts: ${error}`,
      );
      return 'failed';
    }
    const next = nextAttemptAt(this.clock.now(), row.attempts);
    await this.notifications.markRetry(row.id, leaseUntil, next, error);
    this.logger.warn(
      { notificationId: row.id, attempts: row.attempts, next, error },
      'Notification will be retried',
    );
    return 'retried';
  }
}
