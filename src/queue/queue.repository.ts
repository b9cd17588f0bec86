import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AuditIdentity } from '../audit/audit.service';
import { queryRows } from '../db/sql';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { ContactSummary } from '../calls/calls.mapper';
import { CALL_COLUMNS, CallRow } from '../calls/calls.repository';

export interface ClaimResult {
  id: string;
  token: string;
  expiresAt: Date;
}

type ClaimRow = CallRow & {
  token: string;
  'contact.id': string | null;
  'contact.name': string;
  'contact.relationship': string;
  'contact.isVictim': boolean;
  'contact.isChild': boolean;
  'contact.restriction': string;
};

export interface ClaimedCall {
  call: CallRow;
  claim: ClaimResult;
  contact: ContactSummary | null;
}

/** An instant as JSON.stringify writes a Date (milliseconds, UTC), for audit details built in SQL. */
const JSON_INSTANT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Lease length and continuity credit come from the call's establishment settings, else the defaults. */
const LEASE_MINUTES = `coalesce((SELECT (s.settings->>'leaseMinutes')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.leaseMinutes})`;
const CONTINUITY_CREDIT_HOURS = `coalesce((SELECT (s.settings->>'continuityCreditHours')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.continuityCreditHours})`;

/**
 * What a listener may hear: their trainings cover the call's, and they speak its language (English
 * assumed). `me` is the listener's staff row (trainings, and the languages they hear: theirs plus
 * English).
 *
 * The statement runs on a plan made once per connection (a generic plan; see `QueueRepository`), so
 * the planner estimates it without the listener's values. It takes `<@` against an unknown array to
 * match 0.5% of calls, and with so few it would rather fetch every call of the lead listener and sort
 * them than walk calls_queue_lead_idx in order. `required_trainings = '{}'` (a call anyone may hear;
 * it changes nothing, since the empty set is contained in every set) is estimated from the column's
 * statistics, so the estimate is near the truth and the plan is the walk.
 */
const ELIGIBLE = `c.status = 'PENDING' AND (c.required_trainings = '{}' OR c.required_trainings <@ me.trainings)
  AND c.language = ANY(me.hears)`;

/**
 * The claim, as one statement. Candidates are locked with SKIP LOCKED, each the head of a
 * partial-index walk in (tier, effective due) order: the best eligible call in each of the
 * listener's establishments (calls_queue_idx); for a listener who speaks a language other than
 * English, the best eligible call in such a language in each establishment (the same walk, kept to
 * the tier of that establishment's best call and skipping English calls; not run at all for
 * English-only listeners); and the best among the prisoners the listener leads
 * (calls_queue_lead_idx), whose rank gets the continuity credit. The best of them is leased, in
 * (tier, in another language first, rank) order: only speakers may hear a call in another language,
 * so within a tier a speaker takes those before the English calls anyone could take.
 * Concurrent claimers skip rows another holds, so no call is ever given to two listeners, and none
 * waits on another's lock. The establishments are char(3)[] like the column, so the walk is keyed on
 * it (compared as text the index could not be used and the whole pending set was sorted).
 *
 * The listener's trainings and languages are read by the statement (no staff row: nothing is
 * claimed), and the CALL_CLAIMED audit row is written by it, so it commits with the claim: one
 * round trip, one transaction, one WAL flush.
 *
 * Parameters: $1 username, $2 establishment codes, $3-$5 the audit identity (roles comma-joined,
 * client address, correlation id). Returns the leased call's row (CALL_COLUMNS), its lease and its
 * contact.
 */
const CLAIM_SQL = `
WITH me AS (
  SELECT s.trainings, s.languages || 'en'::text AS hears FROM staff s WHERE s.username = $1
),
general AS (
  SELECT e.code, x.id, x.tier, x.other_language, x.rank_at FROM me CROSS JOIN unnest($2::char(3)[]) AS e(code)
  CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.language <> 'en' AS other_language, c.effective_due_at AS rank_at FROM calls c
    WHERE c.establishment_code = e.code AND ${ELIGIBLE}
    ORDER BY c.tier, c.effective_due_at
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
),
spoken AS (
  SELECT x.id, x.tier, true AS other_language, x.rank_at FROM me CROSS JOIN general g
  CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.effective_due_at AS rank_at FROM calls c
    WHERE c.establishment_code = g.code AND c.tier = g.tier AND ${ELIGIBLE} AND c.language <> 'en'
    ORDER BY c.tier, c.effective_due_at
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
  WHERE NOT g.other_language AND array_remove(me.hears, 'en') <> '{}'::text[]
),
lead AS (
  SELECT x.id, x.tier, x.other_language, x.rank_at FROM me CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.language <> 'en' AS other_language,
      c.effective_due_at - make_interval(hours => ${CONTINUITY_CREDIT_HOURS}) AS rank_at
    FROM calls c
    WHERE c.lead_listener_username = $1 AND c.establishment_code = ANY($2::char(3)[]) AND ${ELIGIBLE}
    ORDER BY c.tier, c.effective_due_at
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
),
chosen AS (
  SELECT id FROM (
    SELECT id, tier, other_language, rank_at FROM general
    UNION ALL SELECT * FROM spoken
    UNION ALL SELECT * FROM lead
  ) candidates
  ORDER BY tier, other_language DESC, rank_at LIMIT 1
),
claimed AS (
  UPDATE calls c SET status = 'CLAIMED', claimed_by = $1, claim_token = gen_random_uuid(), claimed_at = now(),
    claim_expires_at = now() + make_interval(mins => ${LEASE_MINUTES}), updated_at = now()
  FROM chosen WHERE c.id = chosen.id AND c.status = 'PENDING'
  RETURNING c.*
),
audited AS (
  INSERT INTO audit_events (username, roles, action, entity_type, entity_id, establishment_code, client_address,
                            correlation_id, details)
  SELECT $1, string_to_array($3, ','), 'CALL_CLAIMED', 'call', c.id::text, c.establishment_code, $4, $5,
    jsonb_build_object('tier', c.tier, 'expiresAt', ${JSON_INSTANT('c.claim_expires_at')})
  FROM claimed c
)
SELECT ${CALL_COLUMNS}, c.claim_token AS token,
  ct.id AS "contact.id", ct.name AS "contact.name", ct.relationship AS "contact.relationship",
  ct.is_victim AS "contact.isVictim", ct.is_child AS "contact.isChild", ct.restriction AS "contact.restriction"
FROM claimed c LEFT JOIN contacts ct ON ct.id = c.contact_id`;

const HOLDS_LEASE = `c.id = $1 AND c.status = 'CLAIMED' AND c.claim_token::text = $2 AND c.claimed_by = $3
  AND c.claim_expires_at > now()`;

const RELEASE_SQL = `
WITH released AS (
  UPDATE calls c SET status = 'PENDING', claimed_by = NULL, claim_token = NULL, claimed_at = NULL,
    claim_expires_at = NULL, updated_at = now()
  WHERE ${HOLDS_LEASE} RETURNING c.id
),
audited AS (
  INSERT INTO audit_events (username, roles, action, entity_type, entity_id, establishment_code, client_address,
                            correlation_id, details)
  SELECT $3, string_to_array($4, ','), 'CLAIM_RELEASED', 'call', r.id::text, NULL, $5, $6,
    jsonb_build_object('reason', $7::text)
  FROM released r
)
SELECT id FROM released`;

/**
 * Claim and release are the hot path (every listener, every call): they run as named (prepared)
 * statements straight on the pg pool under the data source, parsed once per connection instead of at
 * every request. PostgreSQL plans a named statement with each execution's values five times, then
 * keeps one generic plan for the connection when it costs no more; the statements are written so that
 * plan is the ordered index walk (see ELIGIBLE). Planning had been 40% of the database's time per
 * claim. TypeORM's query runner would add nothing here but its own cost.
 */
@Injectable()
export class QueueRepository {
  constructor(private readonly db: DataSource) {}

  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  /**
   * Leases the next call this listener may hear: the call as stored after the claim, its lease and
   * its contact, or null when nothing eligible waits (or the listener has no staff record).
   */
  async claimNextEligibleCall(
    username: string,
    establishments: string[],
    audit: AuditIdentity,
  ): Promise<ClaimedCall | null> {
    const claimed = await this.pool.query<ClaimRow>({
      name: 'queue-claim',
      text: CLAIM_SQL,
      values: [username, establishments, audit.roles, audit.clientAddress, audit.correlationId],
    });
    const row = claimed.rows[0];
    if (!row) return null;
    const {
      token,
      'contact.id': contactId,
      'contact.name': name,
      'contact.relationship': relationship,
      'contact.isVictim': isVictim,
      'contact.isChild': isChild,
      'contact.restriction': restriction,
      ...call
    } = row;
    return {
      call,
      claim: { id: call.id, token, expiresAt: call.claimExpiresAt! },
      contact: contactId
        ? { id: contactId, name, relationship, isVictim, isChild, restriction }
        : null,
    };
  }

  /** The claim statement (parameters as CLAIM_SQL says), for EXPLAIN in benchmarks. */
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

  /** Returns the call to the queue if the token is its current lease; audited in the same statement. */
  async release(
    id: string,
    token: string,
    username: string,
    audit: AuditIdentity,
    reason: string | null,
  ): Promise<boolean> {
    const result = await this.pool.query<{ id: string }>({
      name: 'queue-release',
      text: RELEASE_SQL,
      values: [id, token, username, audit.roles, audit.clientAddress, audit.correlationId, reason],
    });
    return result.rows.length > 0;
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

  /** The calls this listener holds under a live lease (normally one), oldest claim first. */
  async claimsHeldBy(username: string): Promise<CallRow[]> {
    return this.db.query<CallRow[]>(
      `SELECT ${CALL_COLUMNS} FROM calls c
       WHERE c.status = 'CLAIMED' AND c.claimed_by = $1 AND c.claim_expires_at > now()
       ORDER BY c.claimed_at`,
      [username],
    );
  }

  /** The prisoners this listener leads in these establishments, with their calls waiting. */
  async leadPrisonersWaiting(username: string, establishments: string[]) {
    return this.db.query<
      {
        prisonNumber: string;
        firstName: string;
        lastName: string;
        establishmentCode: string;
        waiting: number;
        nextDueAt: Date | null;
      }[]
    >(
      `SELECT p.prison_number AS "prisonNumber", p.first_name AS "firstName", p.last_name AS "lastName",
              trim(p.establishment_code) AS "establishmentCode",
              count(c.id)::int AS waiting, min(c.effective_due_at) AS "nextDueAt"
       FROM prisoners p
       LEFT JOIN calls c ON c.prison_number = p.prison_number AND c.status = 'PENDING'
       WHERE p.lead_listener_username = $1 AND p.establishment_code = ANY($2::char(3)[])
       GROUP BY p.prison_number
       ORDER BY count(c.id) DESC, p.prison_number`,
      [username, establishments],
    );
  }
}
