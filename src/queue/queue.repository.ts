import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../db/sql';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { CALL_COLUMNS, CallRow } from '../calls/calls.repository';

export interface ClaimResult {
  id: string;
  token: string;
  expiresAt: Date;
}

/** Lease length and continuity credit come from the call's establishment settings, else the defaults. */
const LEASE_MINUTES = `coalesce((SELECT (s.settings->>'leaseMinutes')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.leaseMinutes})`;
const CONTINUITY_CREDIT_HOURS = `coalesce((SELECT (s.settings->>'continuityCreditHours')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.continuityCreditHours})`;

/** What a listener may hear: their trainings cover the call's, and they speak its language (English assumed). */
const ELIGIBLE = `c.status = 'PENDING' AND c.required_trainings <@ me.trainings AND c.language = ANY(me.languages)`;

/**
 * The claim, as one statement. Two candidates are locked with SKIP LOCKED, each the head of a
 * partial-index walk in (tier, effective due) order: the best eligible call in each of the
 * listener's establishments, and the best among the prisoners the listener leads, whose rank gets the
 * continuity credit. The better of them is leased. Concurrent claimers skip rows another holds, so no
 * call is ever given to two listeners, and none waits on another's lock.
 */
const CLAIM_SQL = `
WITH me AS (
  SELECT username, trainings, array_append(languages, 'en') AS languages
  FROM staff WHERE username = $1
),
general AS (
  SELECT x.id, x.tier, x.rank_at FROM me, unnest($2::text[]) AS e(code)
  CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.effective_due_at AS rank_at FROM calls c
    WHERE c.establishment_code = e.code AND ${ELIGIBLE}
    ORDER BY c.tier, c.effective_due_at
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
),
lead AS (
  SELECT c.id, c.tier, c.effective_due_at - make_interval(hours => ${CONTINUITY_CREDIT_HOURS}) AS rank_at
  FROM calls c, me
  WHERE c.lead_listener_username = me.username AND c.establishment_code = ANY($2) AND ${ELIGIBLE}
  ORDER BY c.tier, c.effective_due_at
  LIMIT 1 FOR UPDATE OF c SKIP LOCKED
),
chosen AS (
  SELECT id FROM (SELECT * FROM general UNION ALL SELECT * FROM lead) candidates
  ORDER BY tier, rank_at LIMIT 1
)
UPDATE calls c SET status = 'CLAIMED', claimed_by = $1, claim_token = gen_random_uuid(), claimed_at = now(),
  claim_expires_at = now() + make_interval(mins => ${LEASE_MINUTES}), updated_at = now()
FROM chosen WHERE c.id = chosen.id AND c.status = 'PENDING'
RETURNING c.id, c.claim_token AS token, c.claim_expires_at AS "expiresAt"`;

const HOLDS_LEASE = `c.id = $1 AND c.status = 'CLAIMED' AND c.claim_token::text = $2 AND c.claimed_by = $3
  AND c.claim_expires_at > now()`;

@Injectable()
export class QueueRepository {
  constructor(private readonly db: DataSource) {}

  async claimNextEligibleCall(
    username: string,
    establishments: string[],
  ): Promise<ClaimResult | null> {
    const rows = await queryRows<ClaimResult>(this.db, CLAIM_SQL, [username, establishments]);
    return rows[0] ?? null;
  }

  /** The claim statement, for EXPLAIN in benchmarks. */
  static readonly claimSql = CLAIM_SQL;

  async extend(id: string, token: string, username: string): Promise<Date | null> {
    const rows = await queryRows<{ expiresAt: Date }>(
      this.db,
      `UPDATE calls c SET claim_expires_at = now() + make_interval(mins => ${LEASE_MINUTES}), updated_at = now()
       WHERE ${HOLDS_LEASE} RETURNING c.claim_expires_at AS "expiresAt"`,
      [id, token, username],
    );
    return rows[0]?.expiresAt ?? null;
  }

  async release(id: string, token: string, username: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `UPDATE calls c SET status = 'PENDING', claimed_by = NULL, claim_token = NULL, claimed_at = NULL,
         claim_expires_at = NULL, updated_at = now()
       WHERE ${HOLDS_LEASE} RETURNING c.id`,
      [id, token, username],
    );
    return rows.length > 0;
  }

  /** Returns calls whose lease ran out to the queue; the database clock decides. */
  async returnExpiredLeases(): Promise<
    { id: string; establishmentCode: string; claimedBy: string }[]
  > {
    return queryRows(
      this.db,
      `UPDATE calls c SET status = 'PENDING', claimed_by = NULL, claim_token = NULL, claimed_at = NULL,
         claim_expires_at = NULL, updated_at = now()
       FROM (SELECT id, claimed_by FROM calls WHERE status = 'CLAIMED' AND claim_expires_at <= now()
             FOR UPDATE SKIP LOCKED) expired
       WHERE c.id = expired.id
       RETURNING c.id, trim(c.establishment_code) AS "establishmentCode", expired.claimed_by AS "claimedBy"`,
    );
  }

  async pending(filter: {
    establishments: string[] | null;
    tier?: string;
    limit: number;
    offset: number;
  }) {
    const where = `c.status = 'PENDING' AND ($1::text[] IS NULL OR c.establishment_code = ANY($1))
      AND ($2::text IS NULL OR c.tier = $2)`;
    const params = [filter.establishments, filter.tier ?? null];
    const [rows, count] = await Promise.all([
      this.db.query<CallRow[]>(
        `SELECT ${CALL_COLUMNS} FROM calls c WHERE ${where} ORDER BY c.tier, c.effective_due_at, c.id LIMIT $3 OFFSET $4`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM calls c WHERE ${where}`,
        params,
      ),
    ]);
    return { rows, total: count[0].n };
  }
}
