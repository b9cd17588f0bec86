// Why this file is long: one set-based query per risk flag type (a dozen), each with the facts it returns;
// splitting them apart would scatter the one place a reader checks what raises a flag.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows, Queryable } from '../db/sql';
import { AuthorisationType, Channel, ConcernLevel, RoshLevel } from '../common/vocabulary';
import { MONITORING_KINDS, PATTERN_KINDS_BY_WEIGHT } from '../patterns/pattern-rules';
import {
  FlagWindows,
  HIGH_RISK_ALERT_CODES,
  HIGH_RISK_ROSH_LEVELS,
  RiskFlagType,
  RISK_FLAG_TYPES,
} from './risk-flag-rules';

/** Facts behind each flag type, one row per flag, as the set-based queries find them. */
export interface MappaLevelNotSetFact {
  establishmentCode: string;
  prisonNumber: string;
  mappaCategory: number;
  releaseDate: string;
}

export interface ComNotAllocatedFact {
  establishmentCode: string;
  prisonNumber: string;
  /** The next release date from today on (`earliestReleaseDate` or a RELEASE key date). */
  releaseDate: string;
}

export interface MappaL1ReviewFact {
  establishmentCode: string;
  prisonNumber: string;
  reviewedOn: string | null;
}

export interface MonitoringReviewFact {
  establishmentCode: string;
  prisonNumber: string;
  authorisationId: string;
  type: AuthorisationType;
  channels: Channel[];
  reviewDueAt: Date;
}

export interface MonitoringExpiredFact {
  establishmentCode: string;
  prisonNumber: string;
  authorisationId: string;
  channels: Channel[];
  endsAt: Date;
  callsSinceNotHeard: number;
}

export interface DecisionOverdueFact {
  establishmentCode: string;
  prisonNumber: string;
  decisionId: string;
  reason: string;
  dueAt: Date;
}

export interface HighRiskFact {
  establishmentCode: string;
  prisonNumber: string;
  alertCodes: string[];
  roshLevel: RoshLevel;
}

export interface PatternAlertFact {
  establishmentCode: string;
  prisonNumber: string;
  /** Reasons of the prisoner's live alerts, most telling first. */
  reasons: string[];
  /** The first call behind them. */
  since: Date;
}

export interface UnacknowledgedEscalationFact {
  establishmentCode: string;
  prisonNumber: string;
  escalationId: string;
  /** POM or COM: both are the POM's to acknowledge. */
  target: 'POM' | 'COM';
  concernLevel: ConcernLevel;
  assignee: string | null;
  createdAt: Date;
  dueAt: Date;
}

export interface PomCaseloadFact {
  establishmentCode: string;
  username: string;
  prisoners: number;
  threshold: number;
}

export interface WaitingLanguageFact {
  establishmentCode: string;
  language: string;
  calls: number;
  oldestStartedAt: Date;
}

export interface UnheardPurgeFact {
  establishmentCode: string;
  prisonNumber: string;
  calls: number;
  oldestStartedAt: Date;
}

/** A flag as computed now; `since: null` keeps the stored one (or now, for a new flag). */
export interface ComputedFlag {
  establishmentCode: string;
  type: RiskFlagType;
  subject: string;
  prisonNumber: string | null;
  detail: string;
  since: Date | null;
  /** Of the facts behind the flag (flag-decisions.ts): a decision on it holds while this does. */
  fingerprint?: string;
}

export interface RiskFlagRow {
  id: string;
  establishmentCode: string;
  type: RiskFlagType;
  subject: string;
  prisonNumber: string | null;
  detail: string;
  since: Date;
  firstSeenAt: Date;
  lastSeenAt: Date;
  fingerprint: string | null;
}

export interface SyncResult {
  raised: number;
  updated: number;
  resolved: number;
}

/** Arbitrary but fixed key: refreshes of the stored flags run one at a time. */
export const REFRESH_LOCK_KEY = 7_301_244_016;

const FLAG_COLUMNS = `f.id, trim(f.establishment_code) AS "establishmentCode", f.type, f.subject,
  f.prison_number AS "prisonNumber", f.detail, f.since, f.first_seen_at AS "firstSeenAt",
  f.last_seen_at AS "lastSeenAt", f.fingerprint`;

/** Listing order: type in the order of RISK_FLAG_TYPES (bound at `typesParam`), then since, then subject. */
const flagOrder = (typesParam: string) =>
  `array_position(${typesParam}::text[], f.type), f.since, f.subject`;

/**
 * "Monitored now": authorisation `a` is ACTIVE and its period includes the instant bound at `now`.
 * An ACTIVE one past its end date is about to be expired and no longer counts.
 */
const activeNow = (a: string, now: string) =>
  `${a}.status = 'ACTIVE' AND ${a}.starts_at <= ${now} AND (${a}.ends_at IS NULL OR ${a}.ends_at > ${now})`;

/**
 * Finds the facts behind each risk flag type, one set-based query per type across the given
 * establishments, and keeps the stored flags (risk_flags) in step with them. "Now" always comes in
 * as a parameter, never from SQL now(), so a fixed clock fixes every comparison.
 * Prisoner-linked flags belong to the prisoner's current establishment.
 */
@Injectable()
export class RiskFlagsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Serialises refreshes for the rest of the transaction (daily job and on-demand reads). Returns
   * whether a refresh of every one of `establishments` began after `arrivedAt` (the database's
   * clock, read when this caller's transaction began): that refresh read the facts as they were
   * when this caller asked, or later, so this caller need not compute them again.
   */
  async lockRefresh(m: EntityManager, establishments: string[], arrivedAt: Date): Promise<boolean> {
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [REFRESH_LOCK_KEY]);
    const [{ covered }] = await m.query<{ covered: boolean }[]>(
      `SELECT count(*) = cardinality($1::char(3)[]) AS covered FROM risk_flag_refreshes
       WHERE establishment_code = ANY($1::char(3)[]) AND began_at >= $2`,
      [establishments, arrivedAt],
    );
    return covered;
  }

  /** The database's clock now (not the product's Clock: this orders refreshes, it decides no flag). */
  async databaseNow(m: EntityManager): Promise<Date> {
    const [{ at }] = await m.query<{ at: Date }[]>(`SELECT clock_timestamp() AS at`);
    return at;
  }

  /** Records that these establishments' flags were computed from facts read after `beganAt`. */
  async markRefreshed(m: EntityManager, establishments: string[], beganAt: Date): Promise<void> {
    await m.query(
      `INSERT INTO risk_flag_refreshes (establishment_code, began_at)
       SELECT code, $2 FROM unnest($1::char(3)[]) AS e(code)
       ON CONFLICT (establishment_code) DO UPDATE SET began_at = excluded.began_at`,
      [establishments, beganAt],
    );
  }

  /** MAPPA category set, level not set, release date from today to the end of the window. */
  mappaLevelNotSet(
    m: Queryable,
    establishments: string[],
    w: FlagWindows,
  ): Promise<MappaLevelNotSetFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              p.mappa_category AS "mappaCategory", p.earliest_release_date::text AS "releaseDate"
       FROM prisoners p
       WHERE p.establishment_code = ANY($1) AND p.mappa_category IS NOT NULL AND p.mappa_level IS NULL
         AND p.earliest_release_date BETWEEN $2::date AND $3::date`,
      [establishments, w.today, w.releaseWindowEnd],
    );
  }

  /**
   * No COM recorded, and the next release (earliest release date or a RELEASE key date, from today
   * on) by the establishment's window end (`windowEnds[i]` belongs to `establishments[i]`).
   */
  comNotAllocated(
    m: Queryable,
    establishments: string[],
    today: string,
    windowEnds: string[],
  ): Promise<ComNotAllocatedFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              r.release_date::text AS "releaseDate"
       FROM unnest($1::char(3)[], $3::date[]) AS t(code, window_end)
       JOIN prisoners p ON p.establishment_code = t.code AND p.com_name IS NULL
       CROSS JOIN LATERAL (
         SELECT min(d) AS release_date FROM (
           SELECT p.earliest_release_date AS d
           UNION ALL
           SELECT k.date FROM prisoner_key_dates k WHERE k.prison_number = p.prison_number AND k.type = 'RELEASE'
         ) dates WHERE d >= $2::date
       ) r
       WHERE r.release_date <= t.window_end`,
      [establishments, today, windowEnds],
    );
  }

  /** MAPPA level 1 never reviewed, or last reviewed before the cut-off date. */
  mappaL1ReviewOverdue(
    m: Queryable,
    establishments: string[],
    w: FlagWindows,
  ): Promise<MappaL1ReviewFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              p.mappa_level_reviewed_at::text AS "reviewedOn"
       FROM prisoners p
       WHERE p.establishment_code = ANY($1) AND p.mappa_level = 1
         AND (p.mappa_level_reviewed_at IS NULL OR p.mappa_level_reviewed_at < $2::date)`,
      [establishments, w.l1ReviewedBefore],
    );
  }

  /** ACTIVE authorisations (not past their end) whose review date has passed. */
  monitoringReviewOverdue(
    m: Queryable,
    establishments: string[],
    now: Date,
  ): Promise<MonitoringReviewFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              a.id AS "authorisationId", a.type, a.channels, a.review_due_at AS "reviewDueAt"
       FROM monitoring_authorisations a
       JOIN prisoners p ON p.prison_number = a.prison_number
       WHERE p.establishment_code = ANY($1) AND ${activeNow('a', '$2')} AND a.review_due_at < $2`,
      [establishments, now],
    );
  }

  /**
   * Per prisoner with no authorisation active now: the latest one that reached its end date, either
   * still ACTIVE (about to be expired) or EXPIRED after `expiredAfter`; with the number of calls made
   * since its end date in its channels that were not heard.
   */
  monitoringExpired(
    m: Queryable,
    establishments: string[],
    now: Date,
    w: FlagWindows,
  ): Promise<MonitoringExpiredFact[]> {
    return m.query(
      `SELECT DISTINCT ON (a.prison_number)
              trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              a.id AS "authorisationId", a.channels, a.ends_at AS "endsAt",
              (SELECT count(*)::int FROM calls c
                WHERE c.prison_number = a.prison_number AND c.channel = ANY(a.channels)
                  AND c.started_at >= a.ends_at AND c.started_at <= $2 AND c.status = 'NOT_MONITORED')
                AS "callsSinceNotHeard"
       FROM monitoring_authorisations a
       JOIN prisoners p ON p.prison_number = a.prison_number
       WHERE p.establishment_code = ANY($1) AND a.ends_at <= $2
         AND (a.status = 'ACTIVE' OR (a.status = 'EXPIRED' AND a.ends_at > $3))
         AND NOT EXISTS (SELECT 1 FROM monitoring_authorisations o
                          WHERE o.prison_number = a.prison_number AND ${activeNow('o', '$2')})
       ORDER BY a.prison_number, a.ends_at DESC, a.id`,
      [establishments, now, w.expiredAfter],
    );
  }

  /**
   * Monitoring decisions on arrival still DUE after their due time, of prisoners still at the
   * establishment the decision was asked of.
   */
  monitoringDecisionsOverdue(
    m: Queryable,
    establishments: string[],
    now: Date,
  ): Promise<DecisionOverdueFact[]> {
    return m.query(
      `SELECT trim(d.establishment_code) AS "establishmentCode", d.prison_number AS "prisonNumber",
              d.id AS "decisionId", d.reason, d.due_at AS "dueAt"
       FROM monitoring_decisions d
       JOIN prisoners p ON p.prison_number = d.prison_number AND p.establishment_code = d.establishment_code
       WHERE d.establishment_code = ANY($1) AND d.status = 'DUE' AND d.due_at < $2`,
      [establishments, now],
    );
  }

  /** RDV/RSP prisoners with RoSH high or very high and no phone authorisation active now. */
  highRiskNotMonitored(m: Queryable, establishments: string[], now: Date): Promise<HighRiskFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              p.alert_codes AS "alertCodes", p.rosh_level AS "roshLevel"
       FROM prisoners p
       WHERE p.establishment_code = ANY($1) AND p.alert_codes && $3::text[] AND p.rosh_level = ANY($4)
         AND NOT EXISTS (SELECT 1 FROM monitoring_authorisations a
                          WHERE a.prison_number = p.prison_number AND ${activeNow('a', '$2')}
                            AND 'PHONE' = ANY(a.channels))`,
      [establishments, now, HIGH_RISK_ALERT_CODES, HIGH_RISK_ROSH_LEVELS],
    );
  }

  /**
   * Prisoners with a live (not dismissed) pattern alert of a kind that may support monitoring and no
   * phone authorisation active now. Privileged social use is a review of the number, not of the prisoner.
   */
  patternAlertsNotMonitored(
    m: Queryable,
    establishments: string[],
    now: Date,
  ): Promise<PatternAlertFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              array_agg(pa.reason ORDER BY array_position($4::text[], pa.kind), pa.last_call_at DESC NULLS LAST,
                        pa.id) AS reasons,
              min(coalesce(pa.first_call_at, pa.created_at)) AS since
       FROM pattern_alerts pa
       JOIN prisoners p ON p.prison_number = pa.prison_number
       WHERE p.establishment_code = ANY($1) AND pa.status <> 'DISMISSED' AND pa.kind = ANY($3)
         AND NOT EXISTS (SELECT 1 FROM monitoring_authorisations a
                          WHERE a.prison_number = p.prison_number AND ${activeNow('a', '$2')}
                            AND 'PHONE' = ANY(a.channels))
       GROUP BY p.establishment_code, p.prison_number`,
      [establishments, now, MONITORING_KINDS, PATTERN_KINDS_BY_WEIGHT],
    );
  }

  /** Escalations the POM handles (to the POM or for the COM) still OPEN after their due time. */
  unacknowledgedPomEscalations(
    m: Queryable,
    establishments: string[],
    now: Date,
  ): Promise<UnacknowledgedEscalationFact[]> {
    return m.query(
      `SELECT trim(p.establishment_code) AS "establishmentCode", p.prison_number AS "prisonNumber",
              e.id AS "escalationId", e.target, e.concern_level AS "concernLevel",
              e.assignee_username AS assignee,
              e.created_at AS "createdAt", e.due_at AS "dueAt"
       FROM escalations e
       JOIN prisoners p ON p.prison_number = e.prison_number
       WHERE p.establishment_code = ANY($1) AND e.target IN ('POM', 'COM') AND e.status = 'OPEN'
         AND e.due_at < $2`,
      [establishments, now],
    );
  }

  /**
   * POMs of each establishment whose prisoners there exceed its threshold
   * (`thresholds[i]` belongs to `establishments[i]`).
   */
  pomCaseloadsAbove(
    m: Queryable,
    establishments: string[],
    thresholds: number[],
  ): Promise<PomCaseloadFact[]> {
    return m.query(
      `SELECT t.code AS "establishmentCode", s.username, count(*)::int AS prisoners, t.threshold
       FROM unnest($1::text[], $2::int[]) AS t(code, threshold)
       JOIN staff s ON 'POM' = ANY(s.roles) AND t.code = ANY(s.establishments)
       JOIN prisoners p ON p.pom_username = s.username AND p.establishment_code = t.code
       GROUP BY t.code, t.threshold, s.username
       HAVING count(*) > t.threshold`,
      [establishments, thresholds],
    );
  }

  /** Calls waiting for translation, by establishment and language. */
  callsAwaitingTranslation(m: Queryable, establishments: string[]): Promise<WaitingLanguageFact[]> {
    return m.query(
      `SELECT trim(c.establishment_code) AS "establishmentCode", c.language, count(*)::int AS calls,
              min(c.started_at) AS "oldestStartedAt"
       FROM calls c
       WHERE c.establishment_code = ANY($1) AND c.status = 'AWAITING_TRANSLATION'
       GROUP BY c.establishment_code, c.language`,
      [establishments],
    );
  }

  /**
   * Per prisoner, calls not yet heard (waiting, claimed, awaiting translation) and not held, made
   * before their establishment's cut-off (`cutoffs[i]` belongs to `establishments[i]`): retention
   * purges them within the warning window.
   */
  unheardMadeBefore(
    m: Queryable,
    establishments: string[],
    cutoffs: Date[],
  ): Promise<UnheardPurgeFact[]> {
    return m.query(
      `SELECT trim(c.establishment_code) AS "establishmentCode", c.prison_number AS "prisonNumber",
              count(*)::int AS calls, min(c.started_at) AS "oldestStartedAt"
       FROM unnest($1::char(3)[], $2::timestamptz[]) AS t(code, cutoff)
       JOIN calls c ON c.establishment_code = t.code AND c.started_at < t.cutoff
       WHERE c.status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION')
         AND NOT EXISTS (SELECT 1 FROM call_holds h WHERE h.call_id = c.id AND h.released_at IS NULL)
       GROUP BY c.establishment_code, c.prison_number`,
      [establishments, cutoffs],
    );
  }

  /**
   * Makes the open flags of these establishments exactly `flags`: open flags still present get the
   * new detail (and since, when known) and last_seen_at = now, keeping first_seen_at; new ones are
   * inserted; open ones no longer present are resolved at `now`.
   */
  async sync(
    m: EntityManager,
    establishments: string[],
    flags: ComputedFlag[],
    now: Date,
  ): Promise<SyncResult> {
    const columns = [
      flags.map((f) => f.establishmentCode),
      flags.map((f) => f.type),
      flags.map((f) => f.subject),
      flags.map((f) => f.prisonNumber),
      flags.map((f) => f.detail),
      flags.map((f) => f.since),
    ];
    // The fingerprints are $8, after `now` ($7), so the other parameters keep their numbers.
    const present = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $8::text[])
      AS t(establishment_code, type, subject, prison_number, detail, since, fingerprint)`;
    const fingerprints = flags.map((f) => f.fingerprint ?? null);
    const updated = await queryRows<{ id: string }>(
      m,
      `UPDATE risk_flags f SET detail = t.detail, prison_number = t.prison_number,
              since = coalesce(t.since, f.since), last_seen_at = $7, fingerprint = t.fingerprint
       FROM ${present}
       WHERE f.resolved_at IS NULL AND f.establishment_code = t.establishment_code
         AND f.type = t.type AND f.subject = t.subject
       RETURNING f.id`,
      [...columns, now, fingerprints],
    );
    const raised = await queryRows<{ id: string }>(
      m,
      `INSERT INTO risk_flags (establishment_code, type, subject, prison_number, detail, since,
                               first_seen_at, last_seen_at, fingerprint)
       SELECT t.establishment_code, t.type, t.subject, t.prison_number, t.detail, coalesce(t.since, $7), $7, $7,
              t.fingerprint
       FROM ${present}
       ON CONFLICT (establishment_code, type, subject) WHERE resolved_at IS NULL DO NOTHING
       RETURNING id`,
      [...columns, now, fingerprints],
    );
    const resolved = await queryRows<{ id: string }>(
      m,
      `UPDATE risk_flags f SET resolved_at = $4
       WHERE f.resolved_at IS NULL AND f.establishment_code = ANY($5)
         AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(establishment_code, type, subject)
                          WHERE f.establishment_code = t.establishment_code AND f.type = t.type
                            AND f.subject = t.subject)
       RETURNING f.id`,
      [columns[0], columns[1], columns[2], now, establishments],
    );
    return { raised: raised.length, updated: updated.length, resolved: resolved.length };
  }

  /** Open flags of these establishments (null: all), optionally of one type, in listing order. */
  listOpen(establishments: string[] | null, type?: RiskFlagType): Promise<RiskFlagRow[]> {
    return this.db.query(
      `SELECT ${FLAG_COLUMNS} FROM risk_flags f
       WHERE f.resolved_at IS NULL AND ($1::char(3)[] IS NULL OR f.establishment_code = ANY($1))
         AND ($2::text IS NULL OR f.type = $2)
       ORDER BY ${flagOrder('$3')}`,
      [establishments, type ?? null, RISK_FLAG_TYPES],
    );
  }

  /** Open flags naming this prisoner, in listing order. */
  /**
   * A prisoner's open flags; with `today` (a London date), without those a decision in force then
   * hides, as a profile shows them: the same test as `decisionCovers` (flag-decisions.ts), as JSON
   * containment of the flag's subject and fingerprint in the decision's `flags`.
   */
  openForPrisoner(prisonNumber: string, today: string | null): Promise<RiskFlagRow[]> {
    return this.db.query(
      `SELECT ${FLAG_COLUMNS} FROM risk_flags f
       WHERE f.resolved_at IS NULL AND f.prison_number = $1
         AND ($3::date IS NULL OR NOT EXISTS (
           SELECT 1 FROM risk_flag_decisions d
           WHERE d.establishment_code = f.establishment_code AND d.type = f.type
             AND d.prison_number = f.prison_number AND d.review_by > $3::date
             AND d.flags @> jsonb_build_array(
                   jsonb_build_object('subject', f.subject, 'fingerprint', f.fingerprint))))
       ORDER BY ${flagOrder('$2')}`,
      [prisonNumber, RISK_FLAG_TYPES, today],
    );
  }
}
