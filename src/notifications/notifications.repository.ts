import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  EscalationNoticeMode,
  NotificationKind,
  NotificationStatus,
  Role,
} from '../common/vocabulary';
import { queryRows, Queryable } from '../db/sql';

/** A member of staff as a notification's recipient. */
export interface Recipient {
  username: string;
  email: string | null;
  mode: EscalationNoticeMode;
}

export interface DutyEntryRow {
  username: string;
  displayName: string;
  from: Date;
  to: Date;
}

export interface NewNotification {
  kind: NotificationKind;
  establishmentCode: string;
  recipient: Recipient;
  templateId: string | null;
  personalisation: Record<string, string>;
  escalationId: string | null;
  /** FAILED at once (with this error) when it cannot be sent at all, e.g. no email address. */
  failedBecause: string | null;
  createdAt: Date;
}

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  establishmentCode: string;
  recipientUsername: string;
  recipientEmail: string | null;
  templateId: string | null;
  personalisation: Record<string, string>;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  notifyId: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

/** A row a sender has claimed: `previousStatus` SENDING means an earlier sender's lease ran out. */
export interface ClaimedNotification extends NotificationRow {
  previousStatus: NotificationStatus;
}

const COLUMNS = `n.id, n.kind, trim(n.establishment_code) AS "establishmentCode",
  n.recipient_username AS "recipientUsername", n.recipient_email AS "recipientEmail",
  n.template_id AS "templateId", n.personalisation, n.status, n.attempts,
  n.next_attempt_at AS "nextAttemptAt", n.lease_until AS "leaseUntil", n.last_error AS "lastError",
  n.notify_id AS "notifyId", n.sent_at AS "sentAt", n.created_at AS "createdAt"`;

const RECIPIENT = `s.username, s.email, s.notify_escalations AS mode`;

@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: DataSource) {}

  // --- recipients (read inside the transaction that raises the escalation) ---

  async recipient(m: EntityManager, username: string): Promise<Recipient | null> {
    const rows = await queryRows<Recipient>(
      m,
      `SELECT ${RECIPIENT} FROM staff s WHERE s.username = $1 AND s.active`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Who is on the establishment's duty rota at `at` (active accounts only). */
  async onDuty(m: Queryable, establishmentCode: string, at: Date): Promise<Recipient[]> {
    return queryRows<Recipient>(
      m,
      `SELECT DISTINCT ${RECIPIENT} FROM duty_rota r JOIN staff s ON s.username = r.username
        WHERE r.establishment_code = $1 AND r.from_at <= $2 AND r.to_at > $2 AND s.active
        ORDER BY s.username`,
      [establishmentCode, at],
    );
  }

  /** Everyone holding the role at the establishment (the fallback when the rota is empty). */
  async withRole(m: EntityManager, establishmentCode: string, role: Role): Promise<Recipient[]> {
    return queryRows<Recipient>(
      m,
      `SELECT ${RECIPIENT} FROM staff s
        WHERE $1 = ANY(s.establishments) AND $2 = ANY(s.roles) AND s.active ORDER BY s.username`,
      [establishmentCode, role],
    );
  }

  // --- the outbox ---

  async insert(m: EntityManager, rows: NewNotification[]): Promise<void> {
    for (const r of rows) {
      await m.query(
        `INSERT INTO notifications (kind, establishment_code, recipient_username, recipient_email,
           template_id, personalisation, escalation_id, status, last_error, next_attempt_at,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::text IS NULL THEN 'QUEUED' ELSE 'FAILED' END,
                 $8, $9, $9)`,
        [
          r.kind,
          r.establishmentCode,
          r.recipient.username,
          r.recipient.email,
          r.templateId,
          JSON.stringify(r.personalisation),
          r.escalationId,
          r.failedBecause,
          r.createdAt,
        ],
      );
    }
  }

  /**
   * Writes the day's digest for everyone who has something in it, in one statement: heads of OMU
   * the escalations overdue at their establishments, people who chose DAILY_DIGEST the open POM
   * and COM escalations assigned to them. `dedupe_key` makes it one per person per day however
   * often the job runs. Returns how many were written.
   */
  async insertDailyDigests(now: Date, day: string, workbenchUrl: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `WITH counts AS (
         SELECT s.username, s.email,
           (SELECT min(x) FROM unnest(s.establishments) x) AS establishment_code,
           CASE WHEN 'HEAD_OF_OMU' = ANY(s.roles) THEN
             (SELECT count(*) FROM escalations e
               WHERE trim(e.establishment_code) = ANY(s.establishments) AND e.status <> 'CLOSED'
                 AND e.due_at < $1)
           ELSE 0 END AS overdue,
           CASE WHEN s.notify_escalations = 'DAILY_DIGEST' THEN
             (SELECT count(*) FROM escalations e
               WHERE e.assignee_username = s.username AND e.status = 'OPEN'
                 AND e.target IN ('POM','COM'))
           ELSE 0 END AS waiting
         FROM staff s
         WHERE s.active AND cardinality(s.establishments) > 0
           AND ('HEAD_OF_OMU' = ANY(s.roles) OR s.notify_escalations = 'DAILY_DIGEST'))
       INSERT INTO notifications (kind, establishment_code, recipient_username, recipient_email,
           template_id, personalisation, dedupe_key, status, last_error, next_attempt_at, created_at)
       SELECT 'DAILY_DIGEST', c.establishment_code, c.username, c.email,
              est.settings->>'notifyDigestTemplateId',
              jsonb_build_object('overdue_count', c.overdue::text, 'waiting_count', c.waiting::text,
                                 'link', $3::text || '/escalations'),
              'DAILY_DIGEST:' || c.username || ':' || $2,
              CASE WHEN c.email IS NULL THEN 'FAILED' ELSE 'QUEUED' END,
              CASE WHEN c.email IS NULL THEN 'no email address recorded for ' || c.username END,
              $1, $1
         FROM counts c JOIN establishments est ON est.code = c.establishment_code
        WHERE c.overdue + c.waiting > 0
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [now, day, workbenchUrl.replace(/\/+$/, '')],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due rows for one sender: QUEUED ones whose time has come, and SENDING
   * ones whose sender's lease ran out (it died, or hung, after or before reaching Notify). Locked
   * rows are skipped, so two senders never hold one row.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotification[]> {
    return queryRows<ClaimedNotification>(
      this.db,
      `WITH due AS (
         SELECT id, status AS was FROM notifications
          WHERE (status = 'QUEUED' AND next_attempt_at <= $1)
             OR (status = 'SENDING' AND lease_until <= $1)
          ORDER BY next_attempt_at LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE notifications n SET status = 'SENDING', lease_until = $2, attempts = n.attempts + 1
         FROM due WHERE n.id = due.id
       RETURNING ${COLUMNS}, due.was AS "previousStatus"`,
      [now, leaseUntil, limit],
    );
  }

  /** Sent: whoever sent it, the answer is the truth (a stale sender's success still counts). */
  async markSent(id: string, notifyId: string | null, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'SENT', notify_id = $2, sent_at = $3, lease_until = NULL,
              last_error = NULL
        WHERE id = $1 AND status <> 'SENT'`,
      [id, notifyId, at],
    );
  }

  /** Back to the queue for a later try, only while this sender's lease is the row's. */
  async markRetry(id: string, leaseUntil: Date, nextAt: Date, error: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'QUEUED', next_attempt_at = $3, last_error = $4,
              lease_until = NULL
        WHERE id = $1 AND status = 'SENDING' AND lease_until = $2`,
      [id, leaseUntil, nextAt, error],
    );
  }

  async markFailed(id: string, leaseUntil: Date, error: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'FAILED', last_error = $3, lease_until = NULL
        WHERE id = $1 AND status = 'SENDING' AND lease_until = $2`,
      [id, leaseUntil, error],
    );
  }

  async list(filter: {
    establishments: string[] | null;
    status?: NotificationStatus;
    limit: number;
    offset: number;
  }): Promise<{ rows: NotificationRow[]; total: number }> {
    const where = `($1::text[] IS NULL OR trim(n.establishment_code) = ANY($1))
                   AND ($2::text IS NULL OR n.status = $2)`;
    const params = [filter.establishments, filter.status ?? null];
    const rows = await queryRows<NotificationRow>(
      this.db,
      `SELECT ${COLUMNS} FROM notifications n WHERE ${where}
        ORDER BY n.created_at DESC, n.id LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset],
    );
    const count = await queryRows<{ n: number }>(
      this.db,
      `SELECT count(*)::int AS n FROM notifications n WHERE ${where}`,
      params,
    );
    return { rows, total: count[0].n };
  }

  // --- the duty rota ---

  async rota(establishmentCode: string, db: Queryable = this.db): Promise<DutyEntryRow[]> {
    return queryRows<DutyEntryRow>(
      db,
      `SELECT r.username, s.display_name AS "displayName", r.from_at AS "from", r.to_at AS "to"
         FROM duty_rota r JOIN staff s ON s.username = r.username
        WHERE r.establishment_code = $1 ORDER BY r.from_at, r.username`,
      [establishmentCode],
    );
  }

  /** Which of these usernames are active staff of the establishment. */
  async staffOf(m: EntityManager, establishmentCode: string, usernames: string[]) {
    const rows = await queryRows<{ username: string }>(
      m,
      `SELECT username FROM staff WHERE username = ANY($2) AND $1 = ANY(establishments) AND active`,
      [establishmentCode, usernames],
    );
    return new Set(rows.map((r) => r.username));
  }

  /** Replaces the establishment's rota with these entries (locking it against a second writer). */
  async replaceRota(
    m: EntityManager,
    establishmentCode: string,
    entries: { username: string; from: Date; to: Date }[],
    createdBy: string,
  ): Promise<void> {
    await m.query(`SELECT code FROM establishments WHERE code = $1 FOR UPDATE`, [
      establishmentCode,
    ]);
    await m.query(`DELETE FROM duty_rota WHERE establishment_code = $1`, [establishmentCode]);
    if (!entries.length) return;
    await m.query(
      `INSERT INTO duty_rota (establishment_code, username, from_at, to_at, created_by)
       SELECT $1, u, f, t, $5 FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS x(u, f, t)`,
      [
        establishmentCode,
        entries.map((e) => e.username),
        entries.map((e) => e.from.toISOString()),
        entries.map((e) => e.to.toISOString()),
        createdBy,
      ],
    );
  }
}
