import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CallStatus } from '../common/vocabulary';
import { queryRows } from '../db/sql';
import { insertAuditRowsSql, sqlConstant } from '../audit/audit-sql';

/** The audit row of each purged call (see purge): $5 cutoff, $6-$9 who purged and from where. */
const PURGE_AUDIT = insertAuditRowsSql(
  {
    username: '$6',
    roles: '$7::text[]',
    action: sqlConstant('CALL_PURGED'),
    entityType: sqlConstant('call'),
    entityId: 'p.id::text',
    establishmentCode: 'p.establishment_code',
    clientAddress: '$8',
    correlationId: '$9',
    details: `jsonb_build_object('prisonNumber', p.prison_number, 'startedAt', p.started_at,
      'previousStatus', p.previous_status, 'hadRecording', p.had_recording, 'cutoff', $5::timestamptz)`,
  },
  'purged p',
  '1',
);

/** The facts of a call that a hold decision needs. */
export interface HoldableCall {
  id: string;
  establishmentCode: string;
  status: CallStatus;
}

/** A retention hold joined with the facts of its call. `reviewAt` is a calendar date, YYYY-MM-DD. */
export interface HoldRow {
  id: string;
  callId: string;
  establishmentCode: string;
  prisonNumber: string;
  startedAt: Date;
  justification: string;
  reviewAt: string;
  createdBy: string;
  createdAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

/** A call locked for purging, with what it was before. */
export interface PurgeCandidate {
  id: string;
  status: CallStatus;
  hadRecording: boolean;
}

export interface HoldFilter {
  establishments: string[] | null;
  reviewOverdue?: boolean;
  /** The calendar date (YYYY-MM-DD) a review date must be before to be overdue. */
  today: string;
  limit: number;
  offset: number;
}

const HOLD_COLUMNS = `h.id, h.call_id AS "callId", trim(c.establishment_code) AS "establishmentCode",
  c.prison_number AS "prisonNumber", c.started_at AS "startedAt", h.justification, h.review_at::text AS "reviewAt",
  h.created_by AS "createdBy", h.created_at AS "createdAt", h.released_at AS "releasedAt",
  h.released_by AS "releasedBy", h.release_reason AS "releaseReason"`;

/** A call with at least one hold not yet released is kept, whatever its age or review date. */
const NOT_HELD = `NOT EXISTS (SELECT 1 FROM call_holds h WHERE h.call_id = c.id AND h.released_at IS NULL)`;

@Injectable()
export class RetentionRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Locks the next batch of calls of one establishment past the cutoff, not purged and not held,
   * oldest first. Rows another transaction holds (a claim in flight, a hold being placed) are
   * skipped; the next sweep gets them.
   */
  lockPurgeCandidates(
    m: EntityManager,
    establishmentCode: string,
    cutoff: Date,
    limit: number,
  ): Promise<PurgeCandidate[]> {
    return m.query(
      `SELECT c.id, c.status, c.recording_ref IS NOT NULL AS "hadRecording" FROM calls c
       WHERE c.status <> 'PURGED' AND c.started_at < $2 AND c.establishment_code = $1 AND ${NOT_HELD}
       ORDER BY c.started_at
       LIMIT $3
       FOR UPDATE OF c SKIP LOCKED`,
      [establishmentCode, cutoff, limit],
    );
  }

  /**
   * Purges locked candidates and writes one CALL_PURGED audit row for each, in one statement. It runs
   * as a statement of its own after the lock, so (READ COMMITTED) it sees any hold committed before
   * the lock was taken: the hold check here is the one that counts. Metadata is kept for
   * reconciliation; the recording reference and the claim go; the call leaves the queue.
   */
  async purge(
    m: EntityManager,
    candidates: PurgeCandidate[],
    at: Date,
    cutoff: Date,
    actor: { username: string; roles: string[] },
    context: { clientAddress: string | null; correlationId: string | null },
  ): Promise<number> {
    if (candidates.length === 0) return 0;
    const rows: { n: number }[] = await m.query(
      `WITH purged AS (
         UPDATE calls c SET status = 'PURGED', recording_ref = NULL, transcript = NULL, purged_at = $4,
           claimed_by = NULL, claim_token = NULL, claimed_at = NULL, claim_expires_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS t(id, previous_status, had_recording)
         WHERE c.id = t.id AND c.status <> 'PURGED' AND ${NOT_HELD}
         RETURNING c.id, c.establishment_code, c.prison_number, c.started_at, t.previous_status, t.had_recording
       ),
       scans AS (
         UPDATE mail_items mi SET scan_ref = NULL FROM purged p WHERE mi.call_id = p.id RETURNING 1
       ),
       audited AS (${PURGE_AUDIT})
       SELECT count(*)::int AS n FROM audited`,
      [
        candidates.map((c) => c.id),
        candidates.map((c) => c.status),
        candidates.map((c) => c.hadRecording),
        at,
        cutoff,
        actor.username,
        actor.roles,
        context.clientAddress,
        context.correlationId,
      ],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The call, share-locked until the transaction ends: a sweep cannot purge it meanwhile (its
   * SKIP LOCKED passes it by), and if a sweep purged it first this waits and then sees PURGED.
   */
  async lockCallForHold(m: EntityManager, callId: string): Promise<HoldableCall | null> {
    const rows: HoldableCall[] = await m.query(
      `SELECT c.id, trim(c.establishment_code) AS "establishmentCode", c.status FROM calls c
       WHERE c.id = $1 FOR SHARE`,
      [callId],
    );
    return rows[0] ?? null;
  }

  async insertHold(
    m: EntityManager,
    h: { callId: string; justification: string; reviewAt: string; createdBy: string },
  ): Promise<HoldRow> {
    const rows: HoldRow[] = await m.query(
      `WITH h AS (
         INSERT INTO call_holds (call_id, justification, review_at, created_by)
         VALUES ($1, $2, $3::date, $4) RETURNING *
       )
       SELECT ${HOLD_COLUMNS} FROM h JOIN calls c ON c.id = h.call_id`,
      [h.callId, h.justification, h.reviewAt, h.createdBy],
    );
    return rows[0];
  }

  async lockHold(m: EntityManager, id: string): Promise<HoldRow | null> {
    const rows: HoldRow[] = await m.query(
      `SELECT ${HOLD_COLUMNS} FROM call_holds h JOIN calls c ON c.id = h.call_id
       WHERE h.id = $1 FOR UPDATE OF h`,
      [id],
    );
    return rows[0] ?? null;
  }

  async releaseHold(
    m: EntityManager,
    id: string,
    by: string,
    reason: string,
  ): Promise<HoldRow | null> {
    const rows = await queryRows<HoldRow>(
      m,
      `UPDATE call_holds h SET released_at = now(), released_by = $2, release_reason = $3
       FROM calls c
       WHERE h.id = $1 AND h.released_at IS NULL AND c.id = h.call_id
       RETURNING ${HOLD_COLUMNS}`,
      [id, by, reason],
    );
    return rows[0] ?? null;
  }

  /** Active holds, the earliest review first. */
  async listActive(
    f: HoldFilter,
  ): Promise<{ rows: (HoldRow & { reviewOverdue: boolean })[]; total: number }> {
    const where = `h.released_at IS NULL AND ($1::char(3)[] IS NULL OR c.establishment_code = ANY($1))
      AND ($2::boolean IS NULL OR (h.review_at < $3::date) = $2)`;
    const params = [f.establishments, f.reviewOverdue ?? null, f.today];
    const [rows, count] = await Promise.all([
      this.db.query<(HoldRow & { reviewOverdue: boolean })[]>(
        `SELECT ${HOLD_COLUMNS}, h.review_at < $3::date AS "reviewOverdue"
         FROM call_holds h JOIN calls c ON c.id = h.call_id
         WHERE ${where}
         ORDER BY h.review_at, h.created_at, h.id LIMIT $4 OFFSET $5`,
        [...params, f.limit, f.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM call_holds h JOIN calls c ON c.id = h.call_id WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }
}
