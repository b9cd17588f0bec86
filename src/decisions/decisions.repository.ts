import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable, queryRows } from '../db/sql';
import { DecisionStatus, MonitoringDecision } from './decisions.dto';

export interface DecisionRow {
  id: string;
  prisonNumber: string;
  establishmentCode: string;
  reason: string;
  markers: string[];
  openedAt: Date;
  dueAt: Date;
  status: DecisionStatus;
  decision: MonitoringDecision | null;
  rationale: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  authorisationId: string | null;
  reopens: string | null;
}

const COLUMNS = `id, prison_number AS "prisonNumber", trim(establishment_code) AS "establishmentCode",
  reason, markers, opened_at AS "openedAt", due_at AS "dueAt", status, decision, rationale,
  decided_by AS "decidedBy", decided_at AS "decidedAt", authorisation_id AS "authorisationId", reopens`;

/** monitoring_decisions: the only code that touches it (the risk flags read it set-based too). */
@Injectable()
export class DecisionsRepository {
  constructor(private readonly db: DataSource) {}

  /** Opens a DUE decision; null when one is already DUE for the prisoner there. */
  async open(
    m: EntityManager,
    d: Pick<
      DecisionRow,
      'prisonNumber' | 'establishmentCode' | 'reason' | 'markers' | 'openedAt' | 'dueAt' | 'reopens'
    >,
  ): Promise<DecisionRow | null> {
    const rows: DecisionRow[] = await m.query(
      `INSERT INTO monitoring_decisions (prison_number, establishment_code, reason, markers, opened_at, due_at,
                                         status, reopens)
       VALUES ($1, $2, $3, $4, $5, $6, 'DUE', $7)
       ON CONFLICT (prison_number, establishment_code) WHERE status = 'DUE' DO NOTHING
       RETURNING ${COLUMNS}`,
      [d.prisonNumber, d.establishmentCode, d.reason, d.markers, d.openedAt, d.dueAt, d.reopens],
    );
    return rows[0] ?? null;
  }

  /** The prisoner's latest decision at the establishment (DUE or decided), if any. */
  async latest(
    m: EntityManager,
    prisonNumber: string,
    establishmentCode: string,
  ): Promise<DecisionRow | null> {
    const rows: DecisionRow[] = await m.query(
      `SELECT ${COLUMNS} FROM monitoring_decisions WHERE prison_number = $1 AND establishment_code = $2
       ORDER BY opened_at DESC, (status = 'DUE') DESC LIMIT 1`,
      [prisonNumber, establishmentCode],
    );
    return rows[0] ?? null;
  }

  async find(id: string, m: Queryable = this.db): Promise<DecisionRow | null> {
    const rows: DecisionRow[] = await m.query(
      `SELECT ${COLUMNS} FROM monitoring_decisions WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lock(m: EntityManager, id: string): Promise<DecisionRow | null> {
    const rows: DecisionRow[] = await m.query(
      `SELECT ${COLUMNS} FROM monitoring_decisions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async decide(
    m: EntityManager,
    id: string,
    d: {
      decision: MonitoringDecision;
      rationale: string;
      decidedBy: string;
      decidedAt: Date;
      authorisationId: string | null;
    },
  ): Promise<DecisionRow> {
    const rows = await queryRows<DecisionRow>(
      m,
      `UPDATE monitoring_decisions SET status = 'DECIDED', decision = $2, rationale = $3, decided_by = $4,
              decided_at = $5, authorisation_id = $6
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, d.decision, d.rationale, d.decidedBy, d.decidedAt, d.authorisationId],
    );
    return rows[0];
  }

  /** How many decisions are DUE at these establishments. */
  async countDue(establishments: string[] | null): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM monitoring_decisions
       WHERE ($1::char(3)[] IS NULL OR establishment_code = ANY($1)) AND status = 'DUE'`,
      [establishments],
    );
    return n;
  }

  /** DUE ones soonest due first; decided ones latest decided first. */
  async list(f: {
    establishments: string[] | null;
    status?: DecisionStatus;
    limit: number;
    offset: number;
  }): Promise<{ rows: DecisionRow[]; total: number }> {
    const where = `($1::char(3)[] IS NULL OR establishment_code = ANY($1)) AND ($2::text IS NULL OR status = $2)`;
    const rows: DecisionRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM monitoring_decisions WHERE ${where}
       ORDER BY (status = 'DUE') DESC, CASE WHEN status = 'DUE' THEN due_at END, decided_at DESC, id
       LIMIT $3 OFFSET $4`,
      [f.establishments, f.status ?? null, f.limit, f.offset],
    );
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM monitoring_decisions WHERE ${where}`,
      [f.establishments, f.status ?? null],
    );
    return { rows, total };
  }
}
