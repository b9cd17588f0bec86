import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Queryable } from '../db/sql';
import { Tier } from '../common/vocabulary';
import { currentTrainingsSql } from '../staff/training-records';

export interface PendingByTier {
  tier: Tier;
  count: number;
  breached: number;
  oldestStartedAt: Date | null;
  age0to24h: number;
  age1to3d: number;
  age3to7d: number;
  age7to30d: number;
  age30dPlus: number;
}

export interface FlowFigures {
  arrivals: number;
  logs: number;
  loggedCalls: number;
  /** Logged calls heard (HEARD: not an unusable recording) by their due time. */
  loggedWithinSla: number;
  meanHandlingSeconds: number | null;
  meanDurationSeconds: number | null;
}

export interface SnapshotRow {
  takenAt: Date;
  pending: number;
  breached: number;
  byTier: Record<Tier, number>;
  claimed: number;
  awaitingTranslation: number;
  arrivals24h: number;
  logs24h: number;
}

/**
 * A logged call `c` was heard: the newest version of its log does not say the recording was
 * UNUSABLE. An unusable recording's log is kept, but nobody heard what was said (issue 13).
 */
const HEARD = (c: string) =>
  `(SELECT l.recording_quality FROM monitoring_logs l WHERE l.call_id = ${c}.id
     ORDER BY l.version DESC LIMIT 1) IS DISTINCT FROM 'UNUSABLE'`;

/**
 * The backlog figures as set-based SQL, each served by a partial index (calls_pending_summary_idx,
 * calls_arrivals_idx, calls_logged_idx). Times are parameters, never the database clock, so the
 * figures are reproducible for a given instant.
 */
@Injectable()
export class BacklogRepository {
  constructor(private readonly db: DataSource) {}

  pendingByTier(
    establishment: string,
    at: Date,
    db: Queryable = this.db,
  ): Promise<PendingByTier[]> {
    return db.query<PendingByTier[]>(
      `SELECT tier, count(*)::int AS count,
              count(*) FILTER (WHERE due_at < $2)::int AS breached,
              min(started_at) AS "oldestStartedAt",
              count(*) FILTER (WHERE started_at > $2 - interval '24 hours')::int AS "age0to24h",
              count(*) FILTER (WHERE started_at <= $2 - interval '24 hours' AND started_at > $2 - interval '3 days')::int AS "age1to3d",
              count(*) FILTER (WHERE started_at <= $2 - interval '3 days' AND started_at > $2 - interval '7 days')::int AS "age3to7d",
              count(*) FILTER (WHERE started_at <= $2 - interval '7 days' AND started_at > $2 - interval '30 days')::int AS "age7to30d",
              count(*) FILTER (WHERE started_at <= $2 - interval '30 days')::int AS "age30dPlus"
       FROM calls WHERE establishment_code = $1 AND status = 'PENDING'
       GROUP BY tier`,
      [establishment, at],
    );
  }

  /**
   * Calls not yet heard (waiting, claimed, awaiting translation) made before `before` and not held:
   * retention purges them unheard once their period ends (a hold keeps a call past it).
   */
  async unheardMadeBefore(
    establishment: string,
    before: Date,
    db: Queryable = this.db,
  ): Promise<number> {
    const rows = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM calls c
       WHERE c.establishment_code = $1 AND c.status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION')
         AND c.started_at < $2
         AND NOT EXISTS (SELECT 1 FROM call_holds h WHERE h.call_id = c.id AND h.released_at IS NULL)`,
      [establishment, before],
    );
    return rows[0].n;
  }

  async statusCounts(
    establishment: string,
    db: Queryable = this.db,
  ): Promise<{ claimed: number; awaitingTranslation: number }> {
    const rows = await db.query<{ claimed: number; awaitingTranslation: number }[]>(
      `SELECT (SELECT count(*)::int FROM calls WHERE establishment_code = $1 AND status = 'CLAIMED') AS claimed,
              (SELECT count(*)::int FROM calls WHERE establishment_code = $1 AND status = 'AWAITING_TRANSLATION')
                AS "awaitingTranslation"`,
      [establishment],
    );
    return rows[0];
  }

  /** Arrivals (calls made that were queued), logs written and SLA compliance in [from, to). */
  async flow(
    establishment: string,
    from: Date,
    to: Date,
    db: Queryable = this.db,
  ): Promise<FlowFigures> {
    const rows = await db.query<FlowFigures[]>(
      `SELECT
         (SELECT count(*)::int FROM calls WHERE establishment_code = $1 AND tier IS NOT NULL
            AND started_at >= $2 AND started_at < $3) AS arrivals,
         (SELECT count(*)::int FROM monitoring_logs WHERE establishment_code = $1 AND version = 1
            AND created_at >= $2 AND created_at < $3) AS logs,
         (SELECT count(*)::int FROM calls WHERE establishment_code = $1 AND logged_at >= $2 AND logged_at < $3)
            AS "loggedCalls",
         (SELECT count(*)::int FROM calls c WHERE c.establishment_code = $1 AND c.logged_at >= $2
            AND c.logged_at < $3 AND c.logged_at <= c.due_at AND ${HEARD('c')}) AS "loggedWithinSla",
         (SELECT avg(handling_seconds)::float FROM monitoring_logs WHERE establishment_code = $1 AND version = 1
            AND handling_seconds IS NOT NULL AND created_at >= $3 - interval '28 days' AND created_at < $3)
            AS "meanHandlingSeconds",
         (SELECT avg(duration_seconds)::float FROM calls WHERE establishment_code = $1 AND tier IS NOT NULL
            AND started_at >= $3 - interval '28 days' AND started_at < $3) AS "meanDurationSeconds"`,
      [establishment, from, to],
    );
    return rows[0];
  }

  /** Queued arrivals per tier over [from, to) (for the forecast). */
  async arrivalsByTier(
    establishment: string,
    from: Date,
    to: Date,
  ): Promise<Partial<Record<Tier, number>>> {
    const rows = await this.db.query<{ tier: Tier; n: number }[]>(
      `SELECT tier, count(*)::int AS n FROM calls WHERE establishment_code = $1 AND tier IS NOT NULL
         AND started_at >= $2 AND started_at < $3 GROUP BY tier`,
      [establishment, from, to],
    );
    return Object.fromEntries(rows.map((r) => [r.tier, r.n]));
  }

  /** One snapshot per establishment per hour: a second take in the same hour keeps the first. */
  async insertSnapshot(
    establishment: string,
    hour: Date,
    s: Omit<SnapshotRow, 'takenAt'>,
  ): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO backlog_snapshots (establishment_code, taken_at, pending, breached, by_tier, claimed,
                                      awaiting_translation, arrivals_24h, logs_24h)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
       ON CONFLICT (establishment_code, taken_at) DO NOTHING RETURNING 1`,
      [
        establishment,
        hour,
        s.pending,
        s.breached,
        JSON.stringify(s.byTier),
        s.claimed,
        s.awaitingTranslation,
        s.arrivals24h,
        s.logs24h,
      ],
    );
    return rows.length > 0;
  }

  snapshots(establishment: string, since: Date): Promise<SnapshotRow[]> {
    return this.db.query<SnapshotRow[]>(
      `SELECT taken_at AS "takenAt", pending, breached, by_tier AS "byTier", claimed,
              awaiting_translation AS "awaitingTranslation", arrivals_24h AS "arrivals24h", logs_24h AS "logs24h"
       FROM backlog_snapshots WHERE establishment_code = $1 AND taken_at >= $2 ORDER BY taken_at`,
      [establishment, since],
    );
  }

  /** The establishment's listeners, with the trainings that count on `today` (a London date). */
  listeners(establishment: string, at: Date, startOfDay: Date, today: string) {
    return this.db.query<
      {
        username: string;
        displayName: string;
        trainings: string[];
        languages: string[];
        claimedNow: number;
        loggedToday: number;
        logged7Days: number;
        meanHandlingSeconds: number | null;
        leadPrisoners: string[];
      }[]
    >(
      `SELECT s.username, s.display_name AS "displayName", ${currentTrainingsSql('s', '$4::date')} AS trainings,
              s.languages,
              (SELECT count(*)::int FROM calls c WHERE c.status = 'CLAIMED' AND c.claimed_by = s.username
                 AND c.establishment_code = $1) AS "claimedNow",
              (SELECT count(*)::int FROM monitoring_logs l WHERE l.author_username = s.username AND l.version = 1
                 AND l.establishment_code = $1 AND l.created_at >= $3 AND l.created_at < $2) AS "loggedToday",
              (SELECT count(*)::int FROM monitoring_logs l WHERE l.author_username = s.username AND l.version = 1
                 AND l.establishment_code = $1 AND l.created_at >= $2 - interval '7 days' AND l.created_at < $2)
                 AS "logged7Days",
              (SELECT avg(l.handling_seconds)::float FROM monitoring_logs l WHERE l.author_username = s.username
                 AND l.version = 1 AND l.handling_seconds IS NOT NULL AND l.created_at >= $2 - interval '28 days'
                 AND l.created_at < $2) AS "meanHandlingSeconds",
              coalesce((SELECT array_agg(p.prison_number ORDER BY p.prison_number) FROM prisoners p
                 WHERE p.lead_listener_username = s.username AND p.establishment_code = $1), '{}') AS "leadPrisoners"
       FROM staff s WHERE 'LISTENER' = ANY(s.roles) AND $1 = ANY(s.establishments)
       ORDER BY s.username`,
      [establishment, at, startOfDay, today],
    );
  }

  /**
   * Calls made in [from, to) that an approved authorisation covered (channel, period and look-back,
   * up to an early end), counted by what became of each; only the unexplained ones are returned one
   * by one, the oldest RECONCILIATION_ITEMS of them. Counted in the database: a year of an
   * establishment's calls read as rows (and every unexplained one listed, 940 kB for one small
   * establishment) held tens of megabytes per request in the api.
   */
  async reconciliation(establishment: string, from: Date, to: Date): Promise<ReconciliationCounts> {
    const rows = await this.db.query<ReconciliationCounts[]>(
      `WITH covered AS (
         SELECT c.id, c.prison_number, c.started_at, c.status,
                (SELECT l.recording_quality FROM monitoring_logs l WHERE l.call_id = c.id
                  ORDER BY l.version DESC LIMIT 1) AS quality,
                bool_or(a.status = 'ACTIVE') AS cover_still_active
         FROM calls c
         JOIN monitoring_authorisations a ON a.prison_number = c.prison_number AND a.approved_at IS NOT NULL
           AND c.channel = ANY(a.channels)
           AND c.started_at >= a.starts_at - make_interval(days => a.lookback_days)
           AND (a.ends_at IS NULL OR c.started_at < a.ends_at)
           AND (a.ended_at IS NULL OR c.started_at < a.ended_at)
         WHERE c.establishment_code = $1 AND c.started_at >= $2 AND c.started_at < $3
         GROUP BY c.id
       ),
       classified AS (
         SELECT *, CASE
           WHEN quality = 'UNUSABLE' THEN 'unusable'
           WHEN quality IS NOT NULL THEN 'logged'
           WHEN status IN ('PENDING', 'AWAITING_TRANSLATION') THEN 'pending'
           WHEN status = 'CLAIMED' THEN 'claimed'
           WHEN status = 'EXCLUDED_PRIVILEGED' THEN 'privileged'
           WHEN status = 'NOT_MONITORED' AND NOT cover_still_active THEN 'monitoringEnded'
           ELSE 'unexplained' END AS kind
         FROM covered
       ),
       oldest_unexplained AS (
         SELECT id, prison_number, started_at, status FROM classified WHERE kind = 'unexplained'
         ORDER BY started_at, id LIMIT ${RECONCILIATION_ITEMS}
       )
       SELECT count(*)::int AS total,
              count(*) FILTER (WHERE kind = 'logged')::int AS logged,
              count(*) FILTER (WHERE kind = 'unusable')::int AS unusable,
              count(*) FILTER (WHERE kind = 'pending')::int AS pending,
              count(*) FILTER (WHERE kind = 'claimed')::int AS claimed,
              count(*) FILTER (WHERE kind = 'privileged')::int AS privileged,
              count(*) FILTER (WHERE kind = 'monitoringEnded')::int AS "monitoringEnded",
              count(*) FILTER (WHERE kind = 'unexplained')::int AS "unexplainedTotal",
              (SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'prisonNumber', u.prison_number,
                  'startedAt', u.started_at, 'status', u.status) ORDER BY u.started_at, u.id), '[]'::jsonb)
               FROM oldest_unexplained u) AS unexplained
       FROM classified`,
      [establishment, from, to],
    );
    return rows[0];
  }
}

/** Unexplained calls listed one by one in a reconciliation (all are counted). */
export const RECONCILIATION_ITEMS = 1000;

export interface ReconciliationCounts {
  total: number;
  /** Logged and heard: the newest version of the log has a usable recording (GOOD or POOR). */
  logged: number;
  /** Logged, but the recording was UNUSABLE: the log is kept, the call was not heard. */
  unusable: number;
  pending: number;
  claimed: number;
  privileged: number;
  monitoringEnded: number;
  unexplainedTotal: number;
  /** Covered calls that are none of the above, oldest first, at most RECONCILIATION_ITEMS. */
  unexplained: { id: string; prisonNumber: string; startedAt: string; status: string }[];
}
