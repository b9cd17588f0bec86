import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The community offender manager (issue 14, item 1).
 *
 * prisoners gains the COM (name and email required together; phone, probation delivery unit and the
 * day they were allocated optional) and the handover date. No COM recorded: every com_* is null.
 *
 * escalations gains the target COM (handled by the prisoner's POM).
 *
 * escalation_shares: what the POM shared with the COM on a COM escalation, how, when, by whom and
 * the COM's response. Append-only history: a later share is a new row. Each share is also audited
 * as a disclosure of intercepted material (ESCALATION_SHARED).
 */
export class CommunityOffenderManager1765110000000 implements MigrationInterface {
  name = 'CommunityOffenderManager1765110000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE prisoners
        ADD COLUMN com_name text,
        ADD COLUMN com_email text,
        ADD COLUMN com_phone text,
        ADD COLUMN com_probation_delivery_unit text,
        ADD COLUMN com_allocated_on date,
        ADD COLUMN handover_date date,
        ADD CONSTRAINT prisoners_com_complete CHECK (
          (com_name IS NULL) = (com_email IS NULL)
          AND (com_name IS NOT NULL OR (com_phone IS NULL AND com_probation_delivery_unit IS NULL
                                        AND com_allocated_on IS NULL)))`);
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_target_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_target_check
        CHECK (target IN ('POM','IRMM','MAPPA','SECURITY','SAFER_CUSTODY','COM'))`);
    await q.query(`
      CREATE TABLE escalation_shares (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        escalation_id   uuid NOT NULL REFERENCES escalations(id),
        channel         text NOT NULL CHECK (channel IN ('EMAIL','PHONE','MEETING','MAPPA_MEETING')),
        shared_at       timestamptz NOT NULL,
        summary         text NOT NULL,
        response        text,
        shared_by       text NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX escalation_shares_by_escalation ON escalation_shares (escalation_id, shared_at)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE escalation_shares`);
    await q.query(`DELETE FROM escalation_logs WHERE escalation_id IN
                     (SELECT id FROM escalations WHERE target = 'COM')`);
    await q.query(`DELETE FROM escalations WHERE target = 'COM'`);
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_target_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_target_check
        CHECK (target IN ('POM','IRMM','MAPPA','SECURITY','SAFER_CUSTODY'))`);
    await q.query(`
      ALTER TABLE prisoners
        DROP CONSTRAINT prisoners_com_complete,
        DROP COLUMN com_name, DROP COLUMN com_email, DROP COLUMN com_phone,
        DROP COLUMN com_probation_delivery_unit, DROP COLUMN com_allocated_on,
        DROP COLUMN handover_date`);
  }
}
