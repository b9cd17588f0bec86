import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, sqlNow } from '../common/clock';
import { Queryable } from '../db/sql';
import {
  ConcernLevel,
  Confidence,
  RecordingQuality,
  Relationship,
  RoshLevel,
  Theme,
} from '../common/vocabulary';

export interface LogTheme {
  code: Theme;
  note?: string;
}

export interface LogThreat {
  target: string;
  type: string;
  imminence: string;
  quote?: string;
}

export interface LogRow {
  id: string;
  callId: string;
  version: number;
  supersedesId: string | null;
  amendmentReason: string | null;
  prisonNumber: string;
  establishmentCode: string;
  authorUsername: string;
  contactId: string | null;
  relationship: Relationship;
  confidence: Confidence;
  contactIsChild: boolean;
  themes: LogTheme[];
  themeCodes: Theme[];
  threats: LogThreat[];
  concernLevel: ConcernLevel;
  summary: string;
  recordingQuality: RecordingQuality;
  language: string;
  claimedAt: Date | null;
  handlingSeconds: number | null;
  createdAt: Date;
  /** Call facts shown with the log. */
  callStartedAt: Date;
  dialledNumber: string;
}

export type NewLog = Omit<
  LogRow,
  'id' | 'createdAt' | 'callStartedAt' | 'dialledNumber' | 'themeCodes'
>;

const COLUMNS = `l.id, l.call_id AS "callId", l.version, l.supersedes_id AS "supersedesId",
  l.amendment_reason AS "amendmentReason", l.prison_number AS "prisonNumber",
  trim(l.establishment_code) AS "establishmentCode", l.author_username AS "authorUsername",
  l.contact_id AS "contactId", l.relationship, l.confidence, l.contact_is_child AS "contactIsChild", l.themes,
  l.theme_codes AS "themeCodes", l.threats, l.concern_level AS "concernLevel", l.summary,
  l.recording_quality AS "recordingQuality", l.language, l.claimed_at AS "claimedAt",
  l.handling_seconds AS "handlingSeconds", l.created_at AS "createdAt", c.started_at AS "callStartedAt",
  c.dialled_number AS "dialledNumber"`;

/** The newest version of each call's log. */
const CURRENT = `NOT EXISTS (SELECT 1 FROM monitoring_logs newer WHERE newer.call_id = l.call_id AND newer.version > l.version)`;

export interface CallForLog {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  dialledNumber: string;
  contactId: string | null;
  language: string;
  status: string;
  claimedBy: string | null;
  claimedAt: Date | null;
  /** Seconds since the claim, by the database clock (the same clock as the lease). */
  heldSeconds: number | null;
  holdsLease: boolean;
}

/** The call being logged, and the prisoner's facts the escalation rules need. */
export interface CallToLog extends CallForLog {
  pomUsername: string | null;
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  alertCodes: string[];
}

@Injectable()
export class LogsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Locks the call and says whether this token is its live lease, by the database clock; with the
   * prisoner's facts the escalation rules need, read in the same round trip.
   */
  async lockCall(
    m: EntityManager,
    callId: string,
    token: string,
    username: string,
  ): Promise<CallToLog | null> {
    const rows = await m.query<CallToLog[]>(
      `SELECT c.id, c.prison_number AS "prisonNumber", trim(c.establishment_code) AS "establishmentCode",
              c.dialled_number AS "dialledNumber", c.contact_id AS "contactId", c.language, c.status,
              c.claimed_by AS "claimedBy", c.claimed_at AS "claimedAt",
              greatest(0, round(extract(epoch FROM ${sqlNow('$4')} - c.claimed_at)))::int AS "heldSeconds",
              (c.status = 'CLAIMED' AND c.claim_token::text = $2 AND c.claimed_by = $3
                AND c.claim_expires_at > ${sqlNow('$4')})
                AS "holdsLease",
              p.pom_username AS "pomUsername", p.mappa_category AS "mappaCategory",
              p.mappa_level AS "mappaLevel", p.rosh_level AS "roshLevel", p.alert_codes AS "alertCodes"
       FROM calls c JOIN prisoners p ON p.prison_number = c.prison_number
       WHERE c.id = $1 FOR UPDATE OF c`,
      [callId, token, username, this.clock.pinned()],
    );
    return rows[0] ?? null;
  }

  /** Locks the call of a log being amended (no lease is needed to amend: the call is logged). */
  async lockCallForAmendment(m: EntityManager, callId: string): Promise<CallForLog | null> {
    const rows = await m.query<CallForLog[]>(
      `SELECT id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode",
              dialled_number AS "dialledNumber", contact_id AS "contactId", language, status,
              claimed_by AS "claimedBy", claimed_at AS "claimedAt", NULL AS "heldSeconds",
              false AS "holdsLease"
       FROM calls WHERE id = $1 FOR UPDATE`,
      [callId],
    );
    return rows[0] ?? null;
  }

  /**
   * Inserts the log and reads it back with its call's facts, in one round trip; with `markLogged`,
   * the same statement marks the call LOGGED (its claim cleared, the log's contact kept on it). The
   * call's facts read back (start, number) are ones the update does not change.
   */
  async insert(
    m: EntityManager,
    log: NewLog,
    opts: { markLogged?: boolean } = {},
  ): Promise<LogRow> {
    const markLogged = opts.markLogged
      ? `, logged AS (
           UPDATE calls SET status = 'LOGGED', logged_at = ${sqlNow('$21')}, claim_token = NULL,
             claim_expires_at = NULL, contact_id = coalesce($8, contact_id), updated_at = ${sqlNow('$21')}
           WHERE id = $1)`
      : '';
    const inserted = await m.query<LogRow[]>(
      `WITH l AS (
         INSERT INTO monitoring_logs (call_id, version, supersedes_id, amendment_reason, prison_number,
           establishment_code, author_username, contact_id, relationship, confidence, contact_is_child, themes,
           theme_codes, threats, concern_level, summary, recording_quality, language, claimed_at, handling_seconds,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14::jsonb, $15, $16, $17, $18, $19, $20,
           ${sqlNow('$21')})
         RETURNING *)${markLogged}
       SELECT ${COLUMNS} FROM l JOIN calls c ON c.id = l.call_id`,
      [
        log.callId,
        log.version,
        log.supersedesId,
        log.amendmentReason,
        log.prisonNumber,
        log.establishmentCode,
        log.authorUsername,
        log.contactId,
        log.relationship,
        log.confidence,
        log.contactIsChild,
        JSON.stringify(log.themes),
        log.themes.map((t) => t.code),
        JSON.stringify(log.threats),
        log.concernLevel,
        log.summary,
        log.recordingQuality,
        log.language,
        log.claimedAt,
        log.handlingSeconds,
        this.clock.pinned(),
      ],
    );
    return inserted[0];
  }

  async find(id: string, db: Queryable = this.db): Promise<LogRow | null> {
    const rows = await db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM monitoring_logs l JOIN calls c ON c.id = l.call_id WHERE l.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Every version of a call's log, oldest first. */
  versions(callId: string, db: Queryable = this.db): Promise<LogRow[]> {
    return db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM monitoring_logs l JOIN calls c ON c.id = l.call_id WHERE l.call_id = $1
       ORDER BY l.version`,
      [callId],
    );
  }

  async currentForCalls(callIds: string[]): Promise<Map<string, LogRow>> {
    if (callIds.length === 0) return new Map();
    const rows = await this.db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM monitoring_logs l JOIN calls c ON c.id = l.call_id
       WHERE l.call_id = ANY($1) AND ${CURRENT}`,
      [callIds],
    );
    return new Map(rows.map((r) => [r.callId, r]));
  }

  async forPrisoner(f: {
    prisonNumber: string;
    from?: Date;
    to?: Date;
    theme?: Theme;
    limit: number;
    offset: number;
  }): Promise<{ rows: LogRow[]; total: number }> {
    const where = `l.prison_number = $1 AND ${CURRENT} AND ($2::timestamptz IS NULL OR c.started_at >= $2)
      AND ($3::timestamptz IS NULL OR c.started_at < $3) AND ($4::text IS NULL OR $4 = ANY(l.theme_codes))`;
    const params = [f.prisonNumber, f.from ?? null, f.to ?? null, f.theme ?? null];
    const rows = await this.db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM monitoring_logs l JOIN calls c ON c.id = l.call_id WHERE ${where}
       ORDER BY c.started_at DESC, l.id LIMIT $5 OFFSET $6`,
      [...params, f.limit, f.offset],
    );
    const count = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM monitoring_logs l JOIN calls c ON c.id = l.call_id WHERE ${where}`,
      params,
    );
    return { rows, total: count[0].n };
  }

  /** Logs by id, with call facts (for escalations, agendas and referrals). */
  byIds(ids: string[], db: Queryable = this.db): Promise<LogRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM monitoring_logs l JOIN calls c ON c.id = l.call_id WHERE l.id = ANY($1)
       ORDER BY c.started_at`,
      [ids],
    );
  }

  /**
   * Current logs of each prisoner since that prisoner's time (null: all of them), in one query (the
   * IRMM agenda: since each prisoner's last meeting); by prisoner, then by call start.
   */
  sinceForEach(since: { prisonNumber: string; since: Date | null }[]): Promise<LogRow[]> {
    return this.db.query<LogRow[]>(
      `SELECT ${COLUMNS} FROM unnest($1::text[], $2::timestamptz[]) AS s(prison_number, since)
       JOIN monitoring_logs l ON l.prison_number = s.prison_number JOIN calls c ON c.id = l.call_id
       WHERE ${CURRENT} AND (s.since IS NULL OR l.created_at > s.since)
       ORDER BY l.prison_number, c.started_at`,
      [since.map((s) => s.prisonNumber), since.map((s) => s.since)],
    );
  }

  /** How many calls this author logged (first versions, not amendments) since `since`. */
  async countLoggedBy(username: string, since: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM monitoring_logs
       WHERE author_username = $1 AND version = 1 AND created_at >= $2`,
      [username, since],
    );
    return rows[0]?.n ?? 0;
  }

  async markRead(logId: string, username: string): Promise<void> {
    await this.db.query(
      `INSERT INTO log_reads (log_id, username, read_at) VALUES ($1, $2, ${sqlNow('$3')}) ON CONFLICT DO NOTHING`,
      [logId, username, this.clock.pinned()],
    );
  }

  async readBy(logIds: string[], username: string): Promise<Set<string>> {
    if (logIds.length === 0) return new Set();
    const rows = await this.db.query<{ logId: string }[]>(
      `SELECT log_id AS "logId" FROM log_reads WHERE log_id = ANY($1) AND username = $2`,
      [logIds, username],
    );
    return new Set(rows.map((r) => r.logId));
  }

  async openIdentificationTask(
    m: EntityManager,
    t: {
      prisonNumber: string;
      establishmentCode: string;
      dialledNumber: string;
      callId: string;
      logId: string;
    },
  ): Promise<string | null> {
    const rows = await m.query<{ id: string }[]>(
      `INSERT INTO identification_tasks (prison_number, establishment_code, dialled_number, call_id, log_id,
         created_at)
       VALUES ($1, $2, $3, $4, $5, ${sqlNow('$6')})
       ON CONFLICT (prison_number, dialled_number) WHERE status = 'OPEN' DO NOTHING RETURNING id`,
      [t.prisonNumber, t.establishmentCode, t.dialledNumber, t.callId, t.logId, this.clock.pinned()],
    );
    return rows[0]?.id ?? null;
  }

  identificationTasks(establishments: string[] | null, status: 'OPEN' | 'RESOLVED') {
    return this.db.query<Record<string, unknown>[]>(
      `SELECT id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode",
              dialled_number AS "dialledNumber", call_id AS "callId", log_id AS "logId", status,
              created_at AS "createdAt", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy",
              resolution_note AS "resolutionNote"
       FROM identification_tasks
       WHERE ($1::char(3)[] IS NULL OR establishment_code = ANY($1)) AND status = $2 ORDER BY created_at`,
      [establishments, status],
    );
  }

  async resolveIdentificationTask(
    id: string,
    by: string,
    note: string,
  ): Promise<{ establishmentCode: string } | null> {
    const rows = await this.db.query<[{ establishmentCode: string }[], number]>(
      `UPDATE identification_tasks SET status = 'RESOLVED', resolved_at = now(), resolved_by = $2, resolution_note = $3
       WHERE id = $1 AND status = 'OPEN' RETURNING trim(establishment_code) AS "establishmentCode"`,
      [id, by, note],
    );
    return rows[0][0] ?? null;
  }

  async identificationTaskEstablishment(id: string): Promise<string | null> {
    const rows = await this.db.query<{ code: string }[]>(
      `SELECT trim(establishment_code) AS code FROM identification_tasks WHERE id = $1`,
      [id],
    );
    return rows[0]?.code ?? null;
  }
}
