import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, sqlNow } from '../common/clock';
import { queryRows, Queryable } from '../db/sql';
import {
  MONITORING_KINDS,
  PairFacts,
  PATTERN_KINDS_BY_WEIGHT,
  PatternCandidate,
  PatternKind,
  PatternStatus,
} from './pattern-rules';

export interface PatternAlertRow {
  id: string;
  establishmentCode: string;
  prisonNumber: string;
  dialledNumber: string;
  kind: PatternKind;
  status: PatternStatus;
  reason: string;
  evidence: Record<string, unknown>;
  callCount: number;
  firstCallAt: Date | null;
  lastCallAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  dismissedAt: Date | null;
  dismissedBy: string | null;
  dismissReason: string | null;
  /** The prisoner has an ACTIVE phone authorisation in force at the instant asked about. */
  monitored: boolean;
}

export interface WrittenAlert {
  id: string;
  establishmentCode: string;
  prisonNumber: string;
  dialledNumber: string;
  kind: PatternKind;
  reason: string;
  callCount: number;
  inserted: boolean;
}

export interface PatternAlertFilter {
  establishments: string[] | null;
  status?: PatternStatus;
  kind?: PatternKind;
  prisonNumber?: string;
  limit: number;
  offset: number;
}

/** The prisoner has an ACTIVE phone authorisation in force at the instant bound at `now`. */
const monitoredAt = (prisonNumber: string, now: string) =>
  `EXISTS (SELECT 1 FROM monitoring_authorisations ma
           WHERE ma.prison_number = ${prisonNumber} AND ma.status = 'ACTIVE' AND 'PHONE' = ANY(ma.channels)
             AND ma.starts_at <= ${now} AND (ma.ends_at IS NULL OR ma.ends_at > ${now}))`;

const columns = (now: string) => `a.id, trim(a.establishment_code) AS "establishmentCode",
  a.prison_number AS "prisonNumber", a.dialled_number AS "dialledNumber", a.kind, a.status, a.reason,
  a.evidence, a.call_count AS "callCount", a.first_call_at AS "firstCallAt", a.last_call_at AS "lastCallAt",
  a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.acknowledged_at AS "acknowledgedAt",
  a.acknowledged_by AS "acknowledgedBy", a.dismissed_at AS "dismissedAt", a.dismissed_by AS "dismissedBy",
  a.dismiss_reason AS "dismissReason", ${monitoredAt('a.prison_number', now)} AS monitored`;

/** Calls that are calls (intercepted mail shares the table with a correspondent key for a number). */
const SPOKEN = (alias: string) => `${alias}.channel <> 'MAIL'`;

/** The calls of pair `pr` (alias with prison_number, dialled_number) in alias `alias`. */
const ofPair = (alias: string) =>
  `${alias}.prison_number = pr.prison_number AND ${alias}.dialled_number = pr.dialled_number AND ${SPOKEN(alias)}`;

/**
 * Facts of every (prisoner, number) pair with a call in the batch, in one statement. The busiest
 * 24 hours is a window count over the pair's calls from a day before the batch's first to its last,
 * taken at each of the batch's own calls (so a back-filled batch spanning weeks is judged call by
 * call); the other figures are index range counts on calls (prison_number, dialled_number, started_at).
 */
const PAIR_FACTS = `
WITH pairs AS (
  SELECT c.prison_number, c.dialled_number, min(c.started_at) AS from_at, max(c.started_at) AS to_at,
         array_agg(DISTINCT c.establishment_code) AS establishments
  FROM calls c
  WHERE c.batch_id = $1 AND ${SPOKEN('c')}
  GROUP BY c.prison_number, c.dialled_number
),
windowed AS (
  SELECT c.prison_number, c.dialled_number, c.started_at, c.batch_id = $1 AS in_batch,
         count(*) OVER w AS calls, min(c.started_at) OVER w AS first_at,
         pr.from_at, pr.to_at, pr.establishments
  FROM pairs pr
  JOIN calls c ON ${ofPair('c')}
   AND c.started_at >= pr.from_at - interval '24 hours' AND c.started_at <= pr.to_at
  WINDOW w AS (PARTITION BY c.prison_number, c.dialled_number ORDER BY c.started_at
               RANGE BETWEEN interval '24 hours' PRECEDING AND CURRENT ROW)
),
busiest AS (
  SELECT DISTINCT ON (prison_number, dialled_number)
         prison_number, dialled_number, calls, first_at, started_at AS last_at, from_at, to_at, establishments
  FROM windowed WHERE in_batch
  ORDER BY prison_number, dialled_number, calls DESC, started_at DESC
)
SELECT pr.prison_number AS "prisonNumber", pr.dialled_number AS "dialledNumber",
       trim(p.establishment_code) AS "establishmentCode",
       pr.from_at AS "batchFrom", pr.to_at AS "batchTo",
       pr.calls::int AS "callsIn24h", pr.first_at AS "firstIn24h", pr.last_at AS "lastIn24h",
       (SELECT count(*)::int FROM calls h WHERE ${ofPair('h')}
          AND h.started_at >= pr.last_at - interval '31 days' AND h.started_at < pr.last_at - interval '24 hours')
         AS "callsPrevious30Days",
       f.first_at AS "firstCalledAt", n48.calls AS "callsFirst48h", n48.last_at AS "lastFirst48h",
       (SELECT min(x.started_at) FROM calls x WHERE x.prison_number = pr.prison_number AND ${SPOKEN('x')})
         AS "prisonerFirstCallAt",
       (SELECT count(*)::int FROM calls t WHERE ${ofPair('t')} AND t.started_at <= pr.to_at) AS "callsToDate",
       coalesce(dir.kind, CASE WHEN own.relationship = 'LEGAL_ADVISER' THEN 'LEGAL_ADVISER' END)
         AS "privilegedKind",
       coalesce((SELECT jsonb_agg(jsonb_build_object('name', k.name, 'relationship', k.relationship,
                                                      'isVictim', k.is_victim, 'restriction', k.restriction)
                                   ORDER BY k.created_at, k.id)
                 FROM contacts k
                 WHERE k.prison_number = pr.prison_number AND k.phone_numbers @> ARRAY[pr.dialled_number]
                   AND (k.is_victim OR k.restriction IN ('NO_CONTACT', 'HARASSMENT_ORDER'))), '[]')
         AS "protectedContacts",
       coalesce((SELECT jsonb_agg(DISTINCT jsonb_build_object('prisonNumber', k.prison_number,
                                   'establishmentCode', trim(o.establishment_code), 'isVictim', k.is_victim,
                                   'restriction', k.restriction))
                 FROM contacts k JOIN prisoners o ON o.prison_number = k.prison_number
                 WHERE k.prison_number <> pr.prison_number AND k.phone_numbers @> ARRAY[pr.dialled_number]
                   AND (k.is_victim OR k.restriction IN ('NO_CONTACT', 'HARASSMENT_ORDER'))), '[]')
         AS "othersProtected"
FROM busiest pr
JOIN prisoners p ON p.prison_number = pr.prison_number
CROSS JOIN LATERAL (SELECT min(fc.started_at) AS first_at FROM calls fc WHERE ${ofPair('fc')}) f
CROSS JOIN LATERAL (
  SELECT count(*)::int AS calls, max(g.started_at) AS last_at FROM calls g
  WHERE ${ofPair('g')} AND g.started_at BETWEEN f.first_at AND f.first_at + interval '48 hours') n48
LEFT JOIN LATERAL (
  SELECT pn.kind FROM privileged_numbers pn
  WHERE pn.phone_number = pr.dialled_number
    AND (pn.establishment_code IS NULL OR pn.establishment_code = ANY(pr.establishments))
  ORDER BY pn.establishment_code NULLS LAST, pn.kind LIMIT 1) dir ON true
LEFT JOIN LATERAL (
  SELECT k.relationship FROM contacts k
  WHERE k.prison_number = pr.prison_number AND k.phone_numbers @> ARRAY[pr.dialled_number]
  ORDER BY k.created_at, k.id LIMIT 1) own ON true
ORDER BY pr.prison_number, pr.dialled_number`;

/** All SQL of pattern alerts: batch facts, the upsert, and the workbench's reads and changes. */
@Injectable()
export class PatternsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Facts of each (prisoner, number) pair of the batch (privilegedCalls still empty). */
  async batchFacts(m: EntityManager, batchId: string): Promise<PairFacts[]> {
    const rows = await m.query<Omit<PairFacts, 'privilegedCalls'>[]>(PAIR_FACTS, [batchId]);
    return rows.map((r) => ({ ...r, privilegedCalls: [] }));
  }

  /** Calls of privileged pairs from 7 days before the batch's first to its last, oldest first. */
  async privilegedCalls(
    m: EntityManager,
    pairs: Pick<PairFacts, 'prisonNumber' | 'dialledNumber' | 'batchFrom' | 'batchTo'>[],
  ): Promise<
    { prisonNumber: string; dialledNumber: string; startedAt: Date; durationSeconds: number }[]
  > {
    if (pairs.length === 0) return [];
    return m.query(
      `SELECT pr.prison_number AS "prisonNumber", pr.dialled_number AS "dialledNumber",
              c.started_at AS "startedAt", c.duration_seconds AS "durationSeconds"
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
         AS pr(prison_number, dialled_number, from_at, to_at)
       JOIN calls c ON ${ofPair('c')}
        AND c.started_at >= pr.from_at - interval '7 days' AND c.started_at <= pr.to_at
       ORDER BY pr.prison_number, pr.dialled_number, c.started_at, c.id`,
      [
        pairs.map((p) => p.prisonNumber),
        pairs.map((p) => p.dialledNumber),
        pairs.map((p) => p.batchFrom),
        pairs.map((p) => p.batchTo),
      ],
    );
  }

  /**
   * Inserts each candidate as a live alert, or updates the live one of its prisoner, number and kind
   * when the evidence changed and did not shrink (a later, smaller window keeps the stronger
   * evidence). A candidate no bigger than a dismissed alert of the same key is dropped: a dismissal
   * holds until the pattern grows past it. Returns only the rows written.
   */
  async upsert(m: EntityManager, candidates: PatternCandidate[]): Promise<WrittenAlert[]> {
    if (candidates.length === 0) return [];
    return queryRows<WrittenAlert>(
      m,
      `INSERT INTO pattern_alerts AS a (establishment_code, prison_number, dialled_number, kind, reason, evidence,
                                        call_count, first_call_at, last_call_at, created_at, updated_at)
       SELECT t.establishment_code, t.prison_number, t.dialled_number, t.kind, t.reason, t.evidence::jsonb,
              t.call_count, t.first_call_at, t.last_call_at, ${sqlNow('$10')}, ${sqlNow('$10')}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                   $8::timestamptz[], $9::timestamptz[])
         AS t(establishment_code, prison_number, dialled_number, kind, reason, evidence, call_count,
              first_call_at, last_call_at)
       WHERE NOT EXISTS (SELECT 1 FROM pattern_alerts d
                          WHERE d.prison_number = t.prison_number AND d.dialled_number = t.dialled_number
                            AND d.kind = t.kind AND d.status = 'DISMISSED' AND d.call_count >= t.call_count)
       ON CONFLICT (prison_number, dialled_number, kind) WHERE status <> 'DISMISSED'
       DO UPDATE SET reason = EXCLUDED.reason, evidence = EXCLUDED.evidence, call_count = EXCLUDED.call_count,
                     first_call_at = EXCLUDED.first_call_at, last_call_at = EXCLUDED.last_call_at,
                     updated_at = ${sqlNow('$10')}
       WHERE EXCLUDED.call_count >= a.call_count
         AND (a.reason, a.evidence, a.call_count, a.first_call_at, a.last_call_at)
             IS DISTINCT FROM (EXCLUDED.reason, EXCLUDED.evidence, EXCLUDED.call_count, EXCLUDED.first_call_at,
                               EXCLUDED.last_call_at)
       RETURNING a.id, trim(a.establishment_code) AS "establishmentCode", a.prison_number AS "prisonNumber",
                 a.dialled_number AS "dialledNumber", a.kind, a.reason, a.call_count AS "callCount",
                 (a.xmax = 0) AS inserted`,
      [
        candidates.map((c) => c.establishmentCode),
        candidates.map((c) => c.prisonNumber),
        candidates.map((c) => c.dialledNumber),
        candidates.map((c) => c.kind),
        candidates.map((c) => c.reason),
        candidates.map((c) => JSON.stringify(c.evidence)),
        candidates.map((c) => c.callCount),
        candidates.map((c) => c.firstCallAt),
        candidates.map((c) => c.lastCallAt),
        this.clock.pinned(),
      ],
    );
  }

  async find(id: string, now: Date, db: Queryable = this.db): Promise<PatternAlertRow | null> {
    const rows = await db.query<PatternAlertRow[]>(
      `SELECT ${columns('$2')} FROM pattern_alerts a WHERE a.id = $1`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async lock(m: EntityManager, id: string, now: Date): Promise<PatternAlertRow | null> {
    const rows = await m.query<PatternAlertRow[]>(
      `SELECT ${columns('$2')} FROM pattern_alerts a WHERE a.id = $1 FOR UPDATE OF a`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async acknowledge(m: EntityManager, id: string, by: string): Promise<void> {
    await m.query(
      `UPDATE pattern_alerts SET status = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = $2,
              updated_at = now()
       WHERE id = $1`,
      [id, by],
    );
  }

  async dismiss(m: EntityManager, id: string, by: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE pattern_alerts SET status = 'DISMISSED', dismissed_at = now(), dismissed_by = $2,
              dismiss_reason = $3, updated_at = now()
       WHERE id = $1`,
      [id, by, reason],
    );
  }

  /** Live alerts first, then the most recent calls first. */
  async list(
    f: PatternAlertFilter,
    now: Date,
  ): Promise<{ rows: PatternAlertRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR a.establishment_code = ANY($1)) AND ($2::text IS NULL OR a.status = $2)
      AND ($3::text IS NULL OR a.kind = $3) AND ($4::text IS NULL OR a.prison_number = $4)`;
    const params = [f.establishments, f.status ?? null, f.kind ?? null, f.prisonNumber ?? null];
    const rows = await this.db.query<PatternAlertRow[]>(
      `SELECT ${columns('$5')} FROM pattern_alerts a WHERE ${where}
       ORDER BY (a.status = 'DISMISSED'), a.last_call_at DESC NULLS LAST, a.created_at DESC, a.id
       LIMIT $6 OFFSET $7`,
      [...params, now, f.limit, f.offset],
    );
    const count = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pattern_alerts a WHERE ${where}`,
      params,
    );
    return { rows, total: count[0].n };
  }

  /** A prisoner's live alerts that may support monitoring, most telling first. */
  liveForMonitoring(prisonNumber: string, now: Date, db: Queryable = this.db) {
    return db.query<PatternAlertRow[]>(
      `SELECT ${columns('$2')} FROM pattern_alerts a
       WHERE a.prison_number = $1 AND a.status <> 'DISMISSED' AND a.kind = ANY($3)
       ORDER BY array_position($4::text[], a.kind), a.last_call_at DESC NULLS LAST, a.id`,
      [prisonNumber, now, MONITORING_KINDS, PATTERN_KINDS_BY_WEIGHT],
    );
  }

  async prisonerAlertCodes(prisonNumber: string, db: Queryable = this.db): Promise<string[]> {
    const rows = await db.query<{ alertCodes: string[] }[]>(
      `SELECT alert_codes AS "alertCodes" FROM prisoners WHERE prison_number = $1`,
      [prisonNumber],
    );
    return rows[0]?.alertCodes ?? [];
  }
}
