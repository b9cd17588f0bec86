import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions about monitoring when a public-protection prisoner arrives (issue 14), and decisions on
 * risk flags.
 *
 * monitoring_decisions: one row per decision asked for. A decision not to monitor that is reopened
 * (a pattern alert, a new marker) stays as it was and a new DUE row names it in `reopens`, so the
 * history of who decided what, and why, is never overwritten. At most one DUE decision per prisoner
 * and establishment (the index makes a re-sent prisoner a no-op).
 *
 * risk_flag_decisions: a decision on the open flags of one type about one prisoner; `flags` holds
 * each covered flag's subject and the fingerprint of its facts when decided, so the flag comes back
 * as soon as its facts change (or on `review_by`). risk_flags gains that fingerprint.
 *
 * The setting `arrivalDecisionWorkingDays` lives in establishments.settings (jsonb overrides of the
 * defaults): no column needed.
 */
export class ArrivalDecisions1764950000000 implements MigrationInterface {
  name = 'ArrivalDecisions1764950000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitoring_decisions (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        reason              text NOT NULL,
        markers             text[] NOT NULL,
        opened_at           timestamptz NOT NULL,
        due_at              timestamptz NOT NULL,
        status              text NOT NULL CHECK (status IN ('DUE', 'DECIDED')),
        decision            text CHECK (decision IN ('MONITOR', 'DO_NOT_MONITOR')),
        rationale           text,
        decided_by          text,
        decided_at          timestamptz,
        authorisation_id    uuid REFERENCES monitoring_authorisations(id),
        reopens             uuid REFERENCES monitoring_decisions(id),
        CHECK ((status = 'DUE') = (decision IS NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX monitoring_decisions_one_due
      ON monitoring_decisions (prison_number, establishment_code) WHERE status = 'DUE'`);
    await q.query(`
      CREATE INDEX monitoring_decisions_by_establishment
      ON monitoring_decisions (establishment_code, status, due_at)`);

    await q.query(`ALTER TABLE risk_flags ADD COLUMN fingerprint text`);
    await q.query(`
      CREATE TABLE risk_flag_decisions (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        type                text NOT NULL,
        prison_number       text NOT NULL,
        decision            text NOT NULL CHECK (decision IN ('ACTIONED', 'ACCEPTED_RISK')),
        rationale           text NOT NULL,
        review_by           date NOT NULL,
        flags               jsonb NOT NULL,
        decided_by          text NOT NULL,
        decided_at          timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE INDEX risk_flag_decisions_by_flag
      ON risk_flag_decisions (establishment_code, type, prison_number, review_by)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk_flag_decisions`);
    await q.query(`ALTER TABLE risk_flags DROP COLUMN fingerprint`);
    await q.query(`DROP TABLE monitoring_decisions`);
  }
}
