// Why this file is long: the claim, release and reclaim statements are the hot path, each one SQL
// statement with its audit row, and each carries the reasoning its plan and its locking depend on.
import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { insertAuditRowsSql, rolesFromParam, sqlConstant } from '../audit/audit-sql';
import { AuditIdentity } from '../audit/audit.service';
import { queryRows } from '../db/sql';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { ContactSummary } from '../calls/calls.mapper';
import { CALL_COLUMNS, CallRow } from '../calls/call-row';
import { Clock, sqlNow } from '../common/clock';
import { ReleaseReasonCode } from '../common/vocabulary';
import { currentTrainingsSql } from '../staff/training-records';

export interface ClaimResult {
  id: string;
  token: string;
  expiresAt: Date;
}

type ClaimRow = CallRow & {
  token: string;
  heldCallIds: string[];
  atLimit: boolean;
  raced: boolean;
  cooling: boolean;
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

/**
 * What a claim statement did: `claimed` the call leased (null if none), `heldCallIds` what the
 * listener held before, `raced` another claim of theirs committed meanwhile (ask again), `cooling`
 * some call was held back from them by a recent release.
 */
export interface ClaimOutcome {
  claimed: ClaimedCall | null;
  heldCallIds: string[];
  /** The listener held as many calls as they may (nothing was claimed). */
  atLimit: boolean;
  raced: boolean;
  cooling: boolean;
}

/** A call the listener holds, with its lease token (the claim is the listener's, on any device). */
export type HeldCall = CallRow & { token: string };

/** An instant as JSON.stringify writes a Date (milliseconds, UTC), for audit details built in SQL. */
const JSON_INSTANT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Lease length and continuity credit come from the call's establishment settings, else the defaults. */
const LEASE_MINUTES = `coalesce((SELECT (s.settings->>'leaseMinutes')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.leaseMinutes})`;
const CONTINUITY_CREDIT_HOURS = `coalesce((SELECT (s.settings->>'continuityCreditHours')::int FROM establishments s
  WHERE s.code = c.establishment_code), ${DEFAULT_SETTINGS.continuityCreditHours})`;

/**
 * What a listener may hear: their trainings that count today (an expired one does not; see
 * training-records.ts) cover the call's, and they speak its language (English assumed). `me` is the
 * listener's staff row (those trainings, and the languages they hear: theirs plus English).
 *
 * The statement runs on a plan made once per connection (a generic plan; see `QueueRepository`), so
 * the planner estimates it without the listener's values. It takes `<@` against an unknown array to
 * match 0.5% of calls, and with so few it would rather fetch every call of the lead listener and sort
 * them than walk calls_queue_lead_idx in order. `required_trainings = '{}'` (a call anyone may hear;
 * it changes nothing, since the empty set is contained in every set) is estimated from the column's
 * statistics, so the estimate is near the truth and the plan is the walk.
 */
const ELIGIBLE = `c.status = 'PENDING' AND (c.required_trainings = '{}' OR c.required_trainings <@ me.trainings)
  AND c.language = ANY(me.hears)
  AND NOT EXISTS (SELECT 1 FROM listener_conflicts x WHERE x.username = $1 AND x.prison_number = c.prison_number)`;

/**
 * Calls the listener released are held back until their offer_again_at. Not a parameter (`$6 OR NOT
 * EXISTS …`): with the choice left to the execution, the generic plan could not turn the test into
 * an anti-join and cost more than a plan made with the value, so PostgreSQL planned every claim
 * afresh (1.2 ms of its 2.5 ms per claim and release). Each choice is its own named statement.
 */
/** The claim's "now": $6 carries Clock.pinned() (null: the database's clock). */
const CLAIM_NOW = sqlNow('$6');

const NOT_COOLING = `AND NOT EXISTS (SELECT 1 FROM claim_releases r
    WHERE r.username = $1 AND r.call_id = c.id AND r.offer_again_at > ${CLAIM_NOW})`;

/**
 * The fewest calls any of the establishments claimed from lets one listener hold. Read through
 * claim_establishments, as the walks are, so the generic plan counts one establishment here too.
 */
const MAX_CLAIMS = `coalesce((SELECT min(coalesce((s.settings->>'maxClaimsPerListener')::int, ${DEFAULT_SETTINGS.maxClaimsPerListener}))
  FROM establishments s WHERE s.code IN (SELECT claim_establishments($2::char(3)[]))), ${DEFAULT_SETTINGS.maxClaimsPerListener})`;

/** The audit row of a claim (see CLAIM_SQL): $1 username, $3-$5 the audit identity. */
const CLAIM_AUDIT = insertAuditRowsSql(
  {
    username: '$1',
    roles: rolesFromParam('$3'),
    action: sqlConstant('CALL_CLAIMED'),
    entityType: sqlConstant('call'),
    entityId: 'c.id::text',
    establishmentCode: 'c.establishment_code',
    clientAddress: '$4',
    correlationId: '$5',
    details: `jsonb_build_object('tier', c.tier, 'expiresAt', ${JSON_INSTANT('c.claim_expires_at')})`,
  },
  'claimed c',
);

/** The audit row of a release (see RELEASE_SQL): $3 username, $4-$6 the audit identity. */
const RELEASE_AUDIT = insertAuditRowsSql(
  {
    username: '$3',
    roles: rolesFromParam('$4'),
    action: sqlConstant('CLAIM_RELEASED'),
    entityType: sqlConstant('call'),
    entityId: 'r.id::text',
    establishmentCode: 'r.establishment_code',
    clientAddress: '$5',
    correlationId: '$6',
    details: `jsonb_build_object('reasonCode', $8::text, 'reason', $7::text, 'prisonNumber', r.prison_number)`,
  },
  'released r',
);

/**
 * The claim, as one statement. Candidates are locked with SKIP LOCKED, each the head of a
 * partial-index walk in (tier, effective due) order: the best eligible call in each of the
 * listener's establishments (calls_queue_idx); for a listener who speaks a language other than
 * English, the best eligible call in such a language in each establishment (the same walk, kept to
 * the tier of that establishment's best call and skipping English calls; not run at all for
 * English-only listeners); and the best among the prisoners the listener leads
 * (calls_queue_lead_idx), whose rank gets the continuity credit. The best of them is leased, in
 * (tier, in another language first, rank) order: only speakers may hear a call in another language,
 * so within a tier a speaker takes those before the English calls anyone could take. Equal keys go
 * by call id, last, in every walk and in the choice (the indexes end in id, so the walks still stop at
 * their first row): the order is total, and the simulator's comparator can give the same answer.
 * Concurrent claimers skip rows another holds, so no call is ever given to two listeners, and none
 * waits on another's lock. The establishments are char(3)[] like the column, so the walk is keyed on
 * it (compared as text the index could not be used and the whole pending set was sorted).
 *
 * The listener's trainings and languages are read by the statement (no staff row: nothing is
 * claimed), and the CALL_CLAIMED audit row is written by it, so it commits with the claim: one
 * round trip, one transaction, one WAL flush.
 *
 * A listener holds at most maxClaimsPerListener calls. The count of calls held is read from the
 * statement's snapshot, which cannot see a claim of the same listener committed after it began (a
 * second tab pressing at the same moment). So the statement locks the listener's staff row (`me`,
 * FOR UPDATE: the same listener's claims queue up behind each other, nobody else's) and every claim
 * bumps its claim_seq. Locked, the row is read as it is now; `seen` reads it as the snapshot has it.
 * If they differ, a claim of this listener committed since the snapshot: nothing is claimed and
 * `raced` says so, and the service asks again with a fresh snapshot.
 *
 * Not offered: calls of a prisoner the listener declared a conflict of interest on, and (unless
 * `offerReleased`) a call they released until its offer_again_at.
 *
 * Parameters: $1 username, $2 establishment codes, $3-$5 the audit identity (roles comma-joined,
 * client address, correlation id), $6 the pinned clock (Clock.pinned(); null: the database's now()).
 * Returns one row when the listener has a staff row: the leased call's columns (CALL_COLUMNS; all
 * null when nothing was claimed), its lease and contact, the calls held before (`heldCallIds`) and
 * whether that is the most they may hold (`atLimit`), `raced`, and `cooling` (some call is held back from this listener by a release's cool-down).
 */
const claimSql = (offerReleased: boolean, cooling = offerReleased ? '' : NOT_COOLING) => `
WITH locked AS (
  SELECT ${currentTrainingsSql('s', `(${CLAIM_NOW} AT TIME ZONE 'Europe/London')::date`)} AS trainings, s.languages || 'en'::text AS hears,
    s.claim_seq FROM staff s WHERE s.username = $1
  FOR UPDATE
),
seen AS (
  SELECT s.claim_seq FROM staff s WHERE s.username = $1
),
held AS (
  SELECT coalesce(array_agg(c.id ORDER BY c.claimed_at), '{}') AS ids FROM calls c
  WHERE c.claimed_by = $1 AND c.status = 'CLAIMED' AND c.claim_expires_at > ${CLAIM_NOW}
),
me AS (
  SELECT l.trainings, l.hears FROM locked l, seen, held
  WHERE l.claim_seq = seen.claim_seq AND cardinality(held.ids) < ${MAX_CLAIMS}
),
general AS (
  SELECT e.code, x.id, x.tier, x.other_language, x.rank_at FROM me CROSS JOIN claim_establishments($2::char(3)[]) AS e(code)
  CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.language <> 'en' AS other_language, c.effective_due_at AS rank_at FROM calls c
    WHERE c.establishment_code = e.code AND ${ELIGIBLE} ${cooling}
    ORDER BY c.tier, c.effective_due_at, c.id
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
),
spoken AS (
  SELECT x.id, x.tier, true AS other_language, x.rank_at FROM me CROSS JOIN general g
  CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.effective_due_at AS rank_at FROM calls c
    WHERE c.establishment_code = g.code AND c.tier = g.tier AND ${ELIGIBLE} ${cooling} AND c.language <> 'en'
    ORDER BY c.tier, c.effective_due_at, c.id
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
  WHERE NOT g.other_language AND array_remove(me.hears, 'en') <> '{}'::text[]
),
lead AS (
  SELECT x.id, x.tier, x.other_language, x.rank_at FROM me CROSS JOIN LATERAL (
    SELECT c.id, c.tier, c.language <> 'en' AS other_language,
      c.effective_due_at - make_interval(hours => ${CONTINUITY_CREDIT_HOURS}) AS rank_at
    FROM calls c
    WHERE c.lead_listener_username = $1 AND c.establishment_code = ANY($2::char(3)[]) AND ${ELIGIBLE} ${cooling}
    ORDER BY c.tier, c.effective_due_at, c.id
    LIMIT 1 FOR UPDATE OF c SKIP LOCKED
  ) x
),
chosen AS (
  SELECT id FROM (
    SELECT id, tier, other_language, rank_at FROM general
    UNION ALL SELECT * FROM spoken
    UNION ALL SELECT * FROM lead
  ) candidates
  ORDER BY tier, other_language DESC, rank_at, id LIMIT 1
),
claimed AS (
  UPDATE calls c SET status = 'CLAIMED', claimed_by = $1, claim_token = gen_random_uuid(), claimed_at = ${CLAIM_NOW},
    claim_expires_at = ${CLAIM_NOW} + make_interval(mins => ${LEASE_MINUTES}), updated_at = ${CLAIM_NOW}
  FROM chosen WHERE c.id = chosen.id AND c.status = 'PENDING'
  RETURNING c.*
),
counted AS (
  UPDATE staff s SET claim_seq = s.claim_seq + 1 FROM claimed WHERE s.username = $1
),
audited AS (${CLAIM_AUDIT})
SELECT ${CALL_COLUMNS}, c.claim_token AS token,
  ct.id AS "contact.id", ct.name AS "contact.name", ct.relationship AS "contact.relationship",
  ct.is_victim AS "contact.isVictim", ct.is_child AS "contact.isChild", ct.restriction AS "contact.restriction",
  held.ids AS "heldCallIds", cardinality(held.ids) >= ${MAX_CLAIMS} AS "atLimit", l.claim_seq <> seen.claim_seq AS raced,
  EXISTS (SELECT 1 FROM claim_releases r WHERE r.username = $1 AND r.offer_again_at > ${CLAIM_NOW}) AS cooling
FROM locked l CROSS JOIN seen CROSS JOIN held LEFT JOIN claimed c ON true LEFT JOIN contacts ct ON ct.id = c.contact_id`;

const CLAIM_SQL = claimSql(false);
const CLAIM_OFFERING_RELEASED_SQL = claimSql(true);

const HOLDS_LEASE = `c.id = $1 AND c.status = 'CLAIMED' AND c.claim_token::text = $2 AND c.claimed_by = $3
  AND c.claim_expires_at > now()`;

/**
 * The release, audited, in one statement: the call back in the queue, held back from this listener
 * for the establishment's releaseCooldownMinutes, and on a conflict of interest the prisoner's calls
 * never offered to them again. Parameters: $1 call, $2 token, $3 username, $4-$6 the audit identity,
 * $7 the reason in words (may be null), $8 the reason code.
 */
const RELEASE_SQL = `
WITH released AS (
  UPDATE calls c SET status = 'PENDING', claimed_by = NULL, claim_token = NULL, claimed_at = NULL,
    claim_expires_at = NULL, updated_at = now()
  WHERE ${HOLDS_LEASE} RETURNING c.id, c.prison_number, c.establishment_code
),
cooling AS (
  INSERT INTO claim_releases (call_id, username, reason_code, offer_again_at)
  SELECT r.id, $3, $8, now() + make_interval(mins => coalesce((SELECT (s.settings->>'releaseCooldownMinutes')::int
    FROM establishments s WHERE s.code = r.establishment_code), ${DEFAULT_SETTINGS.releaseCooldownMinutes}))
  FROM released r
  ON CONFLICT (username, call_id) DO UPDATE SET reason_code = excluded.reason_code,
    released_at = excluded.released_at, offer_again_at = excluded.offer_again_at
),
conflicted AS (
  INSERT INTO listener_conflicts (username, prison_number, call_id)
  SELECT $3, r.prison_number, r.id FROM released r WHERE $8 = 'CONFLICT_OF_INTEREST'
  ON CONFLICT DO NOTHING
),
audited AS (${RELEASE_AUDIT})
SELECT id FROM released`;

/** The audit row of a reclaim (see reclaim): $1 username, $4-$6 the audit identity. */
const RECLAIM_AUDIT = insertAuditRowsSql(
  {
    username: '$1',
    roles: rolesFromParam('$4'),
    action: sqlConstant('CALL_CLAIMED'),
    entityType: sqlConstant('call'),
    entityId: 'c.id::text',
    establishmentCode: 'c.establishment_code',
    clientAddress: '$5',
    correlationId: '$6',
    details: `jsonb_build_object('tier', c.tier, 'expiresAt', ${JSON_INSTANT('c.claim_expires_at')}, 'reclaimed', true)`,
  },
  'claimed c',
);

/**
 * Claim and release are the hot path (every listener, every call): they run as named (prepared)
 * statements straight on the pg pool under the data source, parsed once per connection instead of at
 * every request. PostgreSQL plans a named statement with each execution's values five times, then
 * keeps one generic plan for the connection when it costs no more; the statements are written so that
 * plan is the ordered index walk (see ELIGIBLE). Planning had been 40% of the database's time per
 * claim. The claim walks the listener's establishments through claim_establishments($2), which the
 * planner counts as one row (migration 1765050000000): over unnest($2) the generic plan assumed ten
 * walks, never cost as little as a listener's own plan, and every claim was planned afresh
 * (test/integration/claim-plan.int-spec.ts). TypeORM's query runner would add nothing here but its own cost.
 */
@Injectable()
export class QueueRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  /**
   * Leases the next call this listener may hear (see CLAIM_SQL); null when the listener has no
   * staff record. `offerReleased` also offers calls they released within the cool-down.
   */
  async claimNextEligibleCall(
    username: string,
    establishments: string[],
    audit: AuditIdentity,
    offerReleased = false,
  ): Promise<ClaimOutcome | null> {
    const result = await this.pool.query<ClaimRow>({
      name: offerReleased ? 'queue-claim-offering-released' : 'queue-claim',
      text: offerReleased ? CLAIM_OFFERING_RELEASED_SQL : CLAIM_SQL,
      values: [
        username,
        establishments,
        audit.roles,
        audit.clientAddress,
        audit.correlationId,
        this.clock.pinned(),
      ],
    });
    const row = result.rows[0];
    if (!row) return null;
    const {
      token,
      heldCallIds,
      atLimit,
      raced,
      cooling,
      'contact.id': contactId,
      'contact.name': name,
      'contact.relationship': relationship,
      'contact.isVictim': isVictim,
      'contact.isChild': isChild,
      'contact.restriction': restriction,
      ...call
    } = row;
    const claimed: ClaimedCall | null = call.id
      ? {
          call,
          claim: { id: call.id, token, expiresAt: call.claimExpiresAt! },
          contact: contactId
            ? { id: contactId, name, relationship, isVictim, isChild, restriction }
            : null,
        }
      : null;
    return { claimed, heldCallIds, atLimit, raced, cooling };
  }

  /** The claim statement as a listener's claim runs it (parameters as CLAIM_SQL says), for EXPLAIN in benchmarks. */
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
    reason: { code: ReleaseReasonCode; text: string | null },
  ): Promise<boolean> {
    const result = await this.pool.query<{ id: string }>({
      name: 'queue-release',
      text: RELEASE_SQL,
      values: [
        id,
        token,
        username,
        audit.roles,
        audit.clientAddress,
        audit.correlationId,
        reason.text,
        reason.code,
      ],
    });
    return result.rows.length > 0;
  }

  /**
   * A listener whose lease ran out while they wrote the log takes the call back, if nobody has
   * taken it since: their lease has run out but the sweep has not returned the call yet, or it is
   * waiting and the last thing that happened to its claim is that this listener's lease expired. Leased again and audited (CALL_CLAIMED, `reclaimed`) in one statement;
   * returns the new token, or null.
   */
  async reclaimExpired(
    username: string,
    callId: string,
    establishments: string[],
    audit: AuditIdentity,
  ): Promise<string | null> {
    const rows = await queryRows<{ token: string }>(
      this.db,
      `WITH last AS (
         SELECT a.action, a.details->>'claimedBy' AS claimed_by FROM audit_events a
         WHERE a.entity_type = 'call' AND a.entity_id = $2::text
           AND a.action IN ('CALL_CLAIMED', 'CLAIM_RELEASED', 'CLAIM_EXPIRED')
         ORDER BY a.at DESC LIMIT 1
       ),
       claimed AS (
         UPDATE calls c SET status = 'CLAIMED', claimed_by = $1, claim_token = gen_random_uuid(),
           claimed_at = now(), claim_expires_at = now() + make_interval(mins => ${LEASE_MINUTES}),
           updated_at = now()
         WHERE c.id = $2::uuid AND c.establishment_code = ANY($3::char(3)[]) AND (
           -- Run out, not yet swept back to the queue: still theirs to renew.
           (c.status = 'CLAIMED' AND c.claimed_by = $1 AND c.claim_expires_at <= now())
           OR (c.status = 'PENDING'
               AND EXISTS (SELECT 1 FROM last WHERE last.action = 'CLAIM_EXPIRED' AND last.claimed_by = $1)))
         RETURNING c.id, c.claim_token, c.tier, c.establishment_code, c.claim_expires_at
       ),
       audited AS (${RECLAIM_AUDIT})
       SELECT claim_token::text AS token FROM claimed`,
      [username, callId, establishments, audit.roles, audit.clientAddress, audit.correlationId],
    );
    return rows[0]?.token ?? null;
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
    const where = `c.status = 'PENDING' AND ($1::char(3)[] IS NULL OR c.establishment_code = ANY($1))
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
  async claimsHeldBy(username: string, callId: string | null = null): Promise<HeldCall[]> {
    return this.db.query<HeldCall[]>(
      `SELECT ${CALL_COLUMNS}, c.claim_token::text AS token FROM calls c
       WHERE c.status = 'CLAIMED' AND c.claimed_by = $1 AND c.claim_expires_at > now()
         AND ($2::uuid IS NULL OR c.id = $2)
       ORDER BY c.claimed_at`,
      [username, callId],
    );
  }

  /**
   * Forgets what ended with a claim: releases past their cool-down (they hold nothing back any more)
   * and logs kept from an ended session whose claim is over (logged, released or expired).
   */
  async forgetEnded(): Promise<void> {
    await this.db.query(`DELETE FROM claim_releases WHERE offer_again_at <= now()`);
    await this.db.query(
      `DELETE FROM log_drafts d WHERE NOT EXISTS (SELECT 1 FROM calls c
         WHERE c.id = d.call_id AND c.status = 'CLAIMED' AND c.claim_token = d.claim_token)`,
    );
  }

  /** How many calls wait in these establishments that this listener may hear (see ELIGIBLE). */
  async countEligibleFor(username: string, establishments: string[]): Promise<number> {
    const rows = await this.db.query<{ n: number }[]>(
      `WITH me AS (SELECT s.trainings, s.languages || 'en'::text AS hears FROM staff s WHERE s.username = $1)
       SELECT count(*)::int AS n FROM me CROSS JOIN calls c
       WHERE c.establishment_code = ANY($2::char(3)[]) AND ${ELIGIBLE}`,
      [username, establishments],
    );
    return rows[0]?.n ?? 0;
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
