import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../db/sql';
import { AuthorisationStatus, AuthorisationType, Channel, Ground } from '../common/vocabulary';

export interface AuthorisationRow {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  type: AuthorisationType;
  grounds: Ground[];
  channels: Channel[];
  justification: string;
  status: AuthorisationStatus;
  requestedBy: string;
  requestedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  approvalNote: string | null;
  startsAt: Date;
  endsAt: Date | null;
  reviewDueAt: Date;
  lookbackDays: number;
  endedAt: Date | null;
  endedBy: string | null;
  endReason: string | null;
}

export interface ReviewRow {
  id: string;
  authorisationId: string;
  decision: 'CONTINUE' | 'END';
  rationale: string;
  reviewedBy: string;
  reviewedAt: Date;
  nextReviewDueAt: Date | null;
}

const COLUMNS = `id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode", type, grounds,
  channels, justification, status, requested_by AS "requestedBy", requested_at AS "requestedAt",
  approved_by AS "approvedBy", approved_at AS "approvedAt", approval_note AS "approvalNote",
  starts_at AS "startsAt", ends_at AS "endsAt", review_due_at AS "reviewDueAt", lookback_days AS "lookbackDays",
  ended_at AS "endedAt", ended_by AS "endedBy", end_reason AS "endReason"`;

export interface AuthorisationFilter {
  establishments: string[] | null;
  prisonNumber?: string;
  status?: AuthorisationStatus;
  reviewOverdue?: boolean;
  limit: number;
  offset: number;
}

@Injectable()
export class MonitoringRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    m: EntityManager,
    a: Pick<
      AuthorisationRow,
      | 'prisonNumber'
      | 'establishmentCode'
      | 'type'
      | 'grounds'
      | 'channels'
      | 'justification'
      | 'requestedBy'
      | 'startsAt'
      | 'endsAt'
      | 'reviewDueAt'
      | 'lookbackDays'
    >,
  ): Promise<AuthorisationRow> {
    const rows: AuthorisationRow[] = await m.query(
      `INSERT INTO monitoring_authorisations (prison_number, establishment_code, type, grounds, channels, justification,
         requested_by, starts_at, ends_at, review_due_at, lookback_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        a.prisonNumber,
        a.establishmentCode,
        a.type,
        a.grounds,
        a.channels,
        a.justification,
        a.requestedBy,
        a.startsAt,
        a.endsAt,
        a.reviewDueAt,
        a.lookbackDays,
      ],
    );
    return rows[0];
  }

  async lock(m: EntityManager, id: string): Promise<AuthorisationRow | null> {
    const rows: AuthorisationRow[] = await m.query(
      `SELECT ${COLUMNS} FROM monitoring_authorisations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async find(id: string): Promise<AuthorisationRow | null> {
    const rows: AuthorisationRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM monitoring_authorisations WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async approve(
    m: EntityManager,
    id: string,
    by: string,
    note: string | null,
  ): Promise<AuthorisationRow> {
    const rows = await queryRows<AuthorisationRow>(
      m,
      `UPDATE monitoring_authorisations SET status = 'ACTIVE', approved_by = $2, approved_at = now(),
         approval_note = $3, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, by, note],
    );
    return rows[0];
  }

  async setReviewDue(m: EntityManager, id: string, reviewDueAt: Date): Promise<void> {
    await m.query(
      `UPDATE monitoring_authorisations SET review_due_at = $2, updated_at = now() WHERE id = $1`,
      [id, reviewDueAt],
    );
  }

  async end(
    m: EntityManager,
    id: string,
    status: 'ENDED' | 'EXPIRED',
    by: string,
    reason: string,
  ): Promise<AuthorisationRow> {
    const rows = await queryRows<AuthorisationRow>(
      m,
      `UPDATE monitoring_authorisations SET status = $2, ended_at = now(), ended_by = $3, end_reason = $4,
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status, by, reason],
    );
    return rows[0];
  }

  async insertReview(
    m: EntityManager,
    r: Omit<ReviewRow, 'id' | 'reviewedAt'>,
  ): Promise<ReviewRow> {
    const rows: ReviewRow[] = await m.query(
      `INSERT INTO authorisation_reviews (authorisation_id, decision, rationale, reviewed_by, next_review_due_at)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING id, authorisation_id AS "authorisationId", decision, rationale, reviewed_by AS "reviewedBy",
                 reviewed_at AS "reviewedAt", next_review_due_at AS "nextReviewDueAt"`,
      [r.authorisationId, r.decision, r.rationale, r.reviewedBy, r.nextReviewDueAt],
    );
    return rows[0];
  }

  reviews(authorisationIds: string[]): Promise<ReviewRow[]> {
    return this.db.query(
      `SELECT id, authorisation_id AS "authorisationId", decision, rationale, reviewed_by AS "reviewedBy",
              reviewed_at AS "reviewedAt", next_review_due_at AS "nextReviewDueAt"
       FROM authorisation_reviews WHERE authorisation_id = ANY($1) ORDER BY reviewed_at`,
      [authorisationIds],
    );
  }

  activeForPrisoner(prisonNumber: string): Promise<AuthorisationRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM monitoring_authorisations WHERE prison_number = $1 AND status = 'ACTIVE'
       ORDER BY starts_at`,
      [prisonNumber],
    );
  }

  /** An authorisation ACTIVE at `now` (started, not past its end) for the prisoner at this establishment. */
  async activeAt(
    m: EntityManager,
    prisonNumber: string,
    establishmentCode: string,
    now: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM monitoring_authorisations
       WHERE prison_number = $1 AND establishment_code = $2 AND status = 'ACTIVE'
         AND starts_at <= $3 AND (ends_at IS NULL OR ends_at > $3)
       LIMIT 1`,
      [prisonNumber, establishmentCode, now],
    );
    return rows.length > 0;
  }

  async list(f: AuthorisationFilter): Promise<{ rows: AuthorisationRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR establishment_code = ANY($1)) AND ($2::text IS NULL OR prison_number = $2)
      AND ($3::text IS NULL OR status = $3)
      AND ($4::boolean IS NULL OR (status = 'ACTIVE' AND review_due_at < now()) = $4)`;
    const params = [
      f.establishments,
      f.prisonNumber ?? null,
      f.status ?? null,
      f.reviewOverdue ?? null,
    ];
    const [rows, count] = await Promise.all([
      this.db.query<AuthorisationRow[]>(
        `SELECT ${COLUMNS} FROM monitoring_authorisations WHERE ${where}
         ORDER BY review_due_at, id LIMIT $5 OFFSET $6`,
        [...params, f.limit, f.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM monitoring_authorisations WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }

  /** ACTIVE authorisations whose end date has passed, locked for expiry. */
  lockExpired(m: EntityManager, at: Date): Promise<AuthorisationRow[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM monitoring_authorisations WHERE status = 'ACTIVE' AND ends_at <= $1
       FOR UPDATE SKIP LOCKED`,
      [at],
    );
  }
}
