import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DecidedFlag, FlagDecision } from './flag-decisions';
import { RiskFlagType } from './risk-flag-rules';

export interface FlagDecisionRow {
  id: string;
  establishmentCode: string;
  type: RiskFlagType;
  prisonNumber: string;
  decision: FlagDecision;
  rationale: string;
  reviewBy: string;
  flags: DecidedFlag[];
  decidedBy: string;
  decidedAt: Date;
}

const COLUMNS = `id, trim(establishment_code) AS "establishmentCode", type, prison_number AS "prisonNumber",
  decision, rationale, review_by::text AS "reviewBy", flags, decided_by AS "decidedBy", decided_at AS "decidedAt"`;

/** risk_flag_decisions. */
@Injectable()
export class FlagDecisionsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(m: EntityManager, d: Omit<FlagDecisionRow, 'id'>): Promise<FlagDecisionRow> {
    const rows: FlagDecisionRow[] = await m.query(
      `INSERT INTO risk_flag_decisions (establishment_code, type, prison_number, decision, rationale, review_by,
                                        flags, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING ${COLUMNS}`,
      [
        d.establishmentCode,
        d.type,
        d.prisonNumber,
        d.decision,
        d.rationale,
        d.reviewBy,
        JSON.stringify(d.flags),
        d.decidedBy,
        d.decidedAt,
      ],
    );
    return rows[0];
  }

  /** Decisions of these establishments (null: all) whose review date is after `today`, latest first. */
  inForce(establishments: string[] | null, today: string): Promise<FlagDecisionRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM risk_flag_decisions
       WHERE ($1::char(3)[] IS NULL OR establishment_code = ANY($1)) AND review_by > $2::date
       ORDER BY decided_at DESC, id`,
      [establishments, today],
    );
  }
}
