import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, sqlNow } from '../common/clock';
import { queryRows, Queryable } from '../db/sql';
import {
  ConcernLevel,
  EscalationOutcome,
  EscalationStatus,
  EscalationTarget,
  HIGH_CONCERN_LEVELS,
  MappaOutcome,
  POM_ASSIGNED_TARGETS,
  ShareChannel,
} from '../common/vocabulary';

export interface EscalationRow {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  target: EscalationTarget;
  status: EscalationStatus;
  reason: string;
  concernLevel: ConcernLevel;
  dueAt: Date | null;
  assignee: string | null;
  createdBy: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  outcome: EscalationOutcome | MappaOutcome | null;
  outcomeNote: string | null;
  /** Why a MAPPA escalation closed as it did (Policy v2). */
  rationale: string | null;
  /** The MAPPA level a LEVEL_CHANGED outcome set. */
  mappaLevel: number | null;
  overdue: boolean;
  logIds: string[];
  /** The prisoner's POM now (who may act on a MAPPA escalation besides the head of OMU). */
  prisonerPomUsername: string | null;
}

/** What was shared with the COM on a COM escalation (escalation_shares). */
export interface EscalationShareRow {
  id: string;
  escalationId: string;
  channel: ShareChannel;
  sharedAt: Date;
  summary: string;
  response: string | null;
  sharedBy: string;
  recordedAt: Date;
}

const SHARE_COLUMNS = `id, escalation_id AS "escalationId", channel, shared_at AS "sharedAt", summary, response,
  shared_by AS "sharedBy", recorded_at AS "recordedAt"`;

const COLUMNS = `e.id, e.prison_number AS "prisonNumber", trim(e.establishment_code) AS "establishmentCode", e.target,
  e.status, e.reason, e.concern_level AS "concernLevel", e.due_at AS "dueAt", e.assignee_username AS assignee,
  e.created_by AS "createdBy", e.created_at AS "createdAt", e.acknowledged_at AS "acknowledgedAt",
  e.acknowledged_by AS "acknowledgedBy", e.closed_at AS "closedAt", e.closed_by AS "closedBy", e.outcome,
  e.outcome_note AS "outcomeNote", e.rationale, e.mappa_level AS "mappaLevel",
  (e.status <> 'CLOSED' AND e.due_at < now()) AS overdue,
  (SELECT p.pom_username FROM prisoners p WHERE p.prison_number = e.prison_number) AS "prisonerPomUsername",
  coalesce((SELECT array_agg(el.log_id::text ORDER BY el.attached_at) FROM escalation_logs el
            WHERE el.escalation_id = e.id), '{}') AS "logIds"`;

export interface EscalationFilter {
  establishments: string[] | null;
  target?: EscalationTarget;
  status?: EscalationStatus;
  prisonNumber?: string;
  overdue?: boolean;
  /**
   * "Mine": assigned to this user, or to a role the user holds at their establishments, or a MAPPA
   * escalation of a prisoner whose POM the user is (the POM may close its level review).
   */
  mine?: { username: string; targets: EscalationTarget[] };
  limit: number;
  offset: number;
}

/**
 * "Mine" for the user at `user` (a parameter): assigned to them, unassigned with a target their roles
 * handle (`targets`), or a MAPPA escalation about one of their POM cases.
 */
const mineSql = (user: string, targets: string) =>
  `(e.assignee_username = ${user} OR (e.assignee_username IS NULL AND e.target = ANY(${targets}))
    OR (e.target = 'MAPPA' AND EXISTS (SELECT 1 FROM prisoners p
                                        WHERE p.prison_number = e.prison_number AND p.pom_username = ${user})))`;

@Injectable()
export class EscalationsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * The open escalation for this prisoner and target, created if there is none. The partial unique
   * index makes concurrent logs for one prisoner meet on the same row.
   */
  /**
   * Opens the prisoner's escalation to the target, unless one not closed exists (then null: read
   * it with findOpen and lock it with lockOpen). A row this statement inserted is this
   * transaction's already: no need to read and lock it again.
   */
  async insertOpen(
    m: EntityManager,
    e: {
      prisonNumber: string;
      establishmentCode: string;
      target: EscalationTarget;
      reason: string;
      concernLevel: ConcernLevel;
      dueAt: Date | null;
      assignee: string | null;
      createdBy: string;
    },
  ): Promise<EscalationRow | null> {
    const inserted = await m.query<EscalationRow[]>(
      `INSERT INTO escalations AS e (prison_number, establishment_code, target, reason, concern_level, due_at,
                                     assignee_username, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ${sqlNow('$9')}, ${sqlNow('$9')})
       ON CONFLICT (prison_number, target) WHERE status <> 'CLOSED' DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        e.prisonNumber,
        e.establishmentCode,
        e.target,
        e.reason,
        e.concernLevel,
        e.dueAt,
        e.assignee,
        e.createdBy,
        this.clock.pinned(),
      ],
    );
    return inserted[0] ?? null;
  }

  /** The prisoner's escalation to the target not closed, as last committed; no lock. */
  async findOpen(
    m: EntityManager,
    prisonNumber: string,
    target: EscalationTarget,
  ): Promise<EscalationRow | null> {
    const rows = await m.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE e.prison_number = $1 AND e.target = $2 AND e.status <> 'CLOSED'`,
      [prisonNumber, target],
    );
    return rows[0] ?? null;
  }

  /**
   * The same, locked until this transaction ends. `SHARE` to attach a log without changing the row:
   * attaching transactions do not wait for each other, and a close or change waits for them all.
   * `UPDATE` to change it. Null when it was closed meanwhile.
   */
  async lockOpen(
    m: EntityManager,
    prisonNumber: string,
    target: EscalationTarget,
    mode: 'SHARE' | 'UPDATE',
  ): Promise<EscalationRow | null> {
    const rows = await m.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE e.prison_number = $1 AND e.target = $2 AND e.status <> 'CLOSED'
       FOR ${mode === 'SHARE' ? 'SHARE' : 'UPDATE'} OF e`,
      [prisonNumber, target],
    );
    return rows[0] ?? null;
  }

  async updateOpen(
    m: EntityManager,
    id: string,
    change: { dueAt: Date | null; concernLevel: ConcernLevel; reason: string },
  ): Promise<void> {
    await m.query(
      `UPDATE escalations SET due_at = $2, concern_level = $3, reason = $4, updated_at = now() WHERE id = $1`,
      [id, change.dueAt, change.concernLevel, change.reason],
    );
  }

  /** An acknowledged escalation open again: acknowledged by nobody yet (the audit keeps who did). */
  async reopen(
    m: EntityManager,
    id: string,
    change: { dueAt: Date | null; concernLevel: ConcernLevel; reason: string },
  ): Promise<void> {
    await m.query(
      `UPDATE escalations SET status = 'OPEN', acknowledged_at = NULL, acknowledged_by = NULL,
         due_at = $2, concern_level = $3, reason = $4, updated_at = now()
       WHERE id = $1 AND status = 'ACKNOWLEDGED'`,
      [id, change.dueAt, change.concernLevel, change.reason],
    );
  }

  /**
   * The prisoner's open escalations assigned to their POM (POM, COM) go to their new POM (null: to
   * the head of OMU).
   */
  async reassignOpenPom(
    m: EntityManager,
    prisonNumber: string,
    assignee: string | null,
  ): Promise<
    { id: string; establishmentCode: string; target: EscalationTarget; previous: string | null }[]
  > {
    return queryRows(
      m,
      `UPDATE escalations e SET assignee_username = $2, updated_at = now()
       FROM escalations before
       WHERE e.id = before.id AND e.prison_number = $1 AND e.target = ANY($3) AND e.status <> 'CLOSED'
         AND e.assignee_username IS DISTINCT FROM $2
       RETURNING e.id, trim(e.establishment_code) AS "establishmentCode", e.target,
                 before.assignee_username AS previous`,
      [prisonNumber, assignee, POM_ASSIGNED_TARGETS],
    );
  }

  /** Which of these logs are logs of the prisoner (an escalation attaches only those). */
  async logsOfPrisoner(
    m: EntityManager,
    logIds: string[],
    prisonNumber: string,
  ): Promise<Set<string>> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM monitoring_logs WHERE id = ANY($1) AND prison_number = $2`,
      [logIds, prisonNumber],
    );
    return new Set(rows.map((r) => r.id));
  }

  async attachLog(m: EntityManager, escalationId: string, logId: string): Promise<void> {
    await m.query(
      `INSERT INTO escalation_logs (escalation_id, log_id, attached_at) VALUES ($1, $2, ${sqlNow('$3')})
       ON CONFLICT DO NOTHING`,
      [escalationId, logId, this.clock.pinned()],
    );
  }

  async find(id: string, db: Queryable = this.db): Promise<EscalationRow | null> {
    const rows = await db.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE e.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lock(m: EntityManager, id: string): Promise<EscalationRow | null> {
    const rows = await m.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE e.id = $1 FOR UPDATE OF e`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insertShare(
    m: EntityManager,
    s: Omit<EscalationShareRow, 'id' | 'recordedAt'>,
  ): Promise<EscalationShareRow> {
    const rows = await queryRows<EscalationShareRow>(
      m,
      `INSERT INTO escalation_shares (escalation_id, channel, shared_at, summary, response, shared_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SHARE_COLUMNS}`,
      [s.escalationId, s.channel, s.sharedAt, s.summary, s.response, s.sharedBy],
    );
    return rows[0];
  }

  /** The escalation's shares with the COM, in the order they were made. */
  shares(escalationId: string, db: Queryable = this.db): Promise<EscalationShareRow[]> {
    return db.query<EscalationShareRow[]>(
      `SELECT ${SHARE_COLUMNS} FROM escalation_shares WHERE escalation_id = $1
       ORDER BY shared_at, recorded_at, id`,
      [escalationId],
    );
  }

  async acknowledge(m: EntityManager, id: string, by: string): Promise<void> {
    await m.query(
      `UPDATE escalations SET status = 'ACKNOWLEDGED', acknowledged_at = ${sqlNow('$3')}, acknowledged_by = $2,
         updated_at = ${sqlNow('$3')}
       WHERE id = $1`,
      [id, by, this.clock.pinned()],
    );
  }

  async close(
    m: EntityManager,
    id: string,
    by: string,
    outcome: EscalationOutcome | MappaOutcome,
    note: string | null,
    mappa: { rationale: string; mappaLevel: number | null } | null = null,
  ): Promise<void> {
    await m.query(
      `UPDATE escalations SET status = 'CLOSED', closed_at = ${sqlNow('$7')}, closed_by = $2, outcome = $3,
         outcome_note = $4, rationale = $5, mappa_level = $6,
         acknowledged_at = coalesce(acknowledged_at, ${sqlNow('$7')}), acknowledged_by = coalesce(acknowledged_by, $2),
         updated_at = ${sqlNow('$7')}
       WHERE id = $1`,
      [
        id,
        by,
        outcome,
        note,
        mappa?.rationale ?? null,
        mappa?.mappaLevel ?? null,
        this.clock.pinned(),
      ],
    );
  }

  /**
   * How many escalations not yet closed are the user's to act on (as the inbox's "mine" reads it),
   * at these establishments (null: all): the count the workbench's header shows.
   */
  async countOpenMine(f: {
    establishments: string[] | null;
    username: string;
    targets: EscalationTarget[];
  }): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM escalations e
       WHERE ($1::char(3)[] IS NULL OR e.establishment_code = ANY($1)) AND e.status <> 'CLOSED'
         AND ${mineSql('$2', '$3')}`,
      [f.establishments, f.username, f.targets],
    );
    return n;
  }

  async list(f: EscalationFilter): Promise<{ rows: EscalationRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR e.establishment_code = ANY($1)) AND ($2::text IS NULL OR e.target = $2)
      AND ($3::text IS NULL OR e.status = $3) AND ($4::text IS NULL OR e.prison_number = $4)
      AND ($5::boolean IS NULL OR (e.status <> 'CLOSED' AND e.due_at < now()) = $5)
      AND ($6::text IS NULL OR ${mineSql('$6', '$7')})`;
    const params = [
      f.establishments,
      f.target ?? null,
      f.status ?? null,
      f.prisonNumber ?? null,
      f.overdue ?? null,
      f.mine?.username ?? null,
      f.mine?.targets ?? [],
    ];
    const rows = await this.db.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE ${where}
       ORDER BY (e.status = 'CLOSED'), e.due_at NULLS LAST, e.created_at LIMIT $8 OFFSET $9`,
      [...params, f.limit, f.offset],
    );
    const count = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM escalations e WHERE ${where}`,
      params,
    );
    return { rows, total: count[0].n };
  }

  /** Open escalations of one target at an establishment (the IRMM agenda). */
  openForTarget(establishment: string, target: EscalationTarget): Promise<EscalationRow[]> {
    return this.db.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e
       WHERE e.establishment_code = $1 AND e.target = $2 AND e.status <> 'CLOSED'
       ORDER BY e.prison_number, e.created_at`,
      [establishment, target],
    );
  }

  forPrisoner(prisonNumber: string, db: Queryable = this.db): Promise<EscalationRow[]> {
    return db.query<EscalationRow[]>(
      `SELECT ${COLUMNS} FROM escalations e WHERE e.prison_number = $1 ORDER BY e.created_at DESC`,
      [prisonNumber],
    );
  }

  /**
   * Whether the prisoner has an open escalation of high concern, the triage fact that lifts their
   * calls to P1. The row found is locked: a close of it running now is waited for (and the row then
   * no longer counts), and a close starting after waits for this transaction, so its re-score sees
   * what this transaction adds. FOR UPDATE, the lowest id first, not FOR SHARE: two HIGH logs each
   * holding a share lock on the escalation they then both update deadlock (seen in overload.e2e).
   */
  async hasOpenHighConcern(m: EntityManager, prisonNumber: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      m,
      `SELECT id FROM escalations
       WHERE prison_number = $1 AND status <> 'CLOSED' AND concern_level = ANY($2)
       ORDER BY id LIMIT 1 FOR UPDATE`,
      [prisonNumber, HIGH_CONCERN_LEVELS],
    );
    return rows.length > 0;
  }
}
