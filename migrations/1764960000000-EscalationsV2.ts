import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalations v2 (API.md "Policy v2"): the target SAFER_CUSTODY, and a MAPPA escalation's outcome
 * of the level review (LEVEL_CHANGED with the new level, LEVEL_CONFIRMED, CATEGORY_3_REFERRED,
 * NO_ACTION) with its rationale. The v1 outcomes stay valid for every target.
 */
export class EscalationsV21764960000000 implements MigrationInterface {
  name = 'EscalationsV21764960000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_target_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_target_check
        CHECK (target IN ('POM','IRMM','MAPPA','SECURITY','SAFER_CUSTODY'))`);
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_outcome_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_outcome_check
        CHECK (outcome IN ('RISK_MANAGEMENT_PLAN_UPDATED','MAPPA_REFERRAL_MADE','SAFEGUARDING_REFERRAL_MADE',
                           'POLICE_INFORMED','MONITORING_CHANGED','NO_FURTHER_ACTION','OTHER',
                           'LEVEL_CHANGED','LEVEL_CONFIRMED','CATEGORY_3_REFERRED','NO_ACTION'))`);
    await q.query(`
      ALTER TABLE escalations
        ADD COLUMN rationale text,
        ADD COLUMN mappa_level smallint CHECK (mappa_level BETWEEN 1 AND 3),
        ADD CONSTRAINT escalations_mappa_outcome_check CHECK (
          outcome IS NULL OR outcome NOT IN ('LEVEL_CHANGED','LEVEL_CONFIRMED','CATEGORY_3_REFERRED','NO_ACTION')
          OR (target = 'MAPPA' AND rationale IS NOT NULL)),
        ADD CONSTRAINT escalations_level_changed_check CHECK (
          (outcome IS NOT DISTINCT FROM 'LEVEL_CHANGED') = (mappa_level IS NOT NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM escalation_logs WHERE escalation_id IN (SELECT id FROM escalations WHERE target = 'SAFER_CUSTODY')`,
    );
    await q.query(`DELETE FROM escalations WHERE target = 'SAFER_CUSTODY'`);
    await q.query(`
      ALTER TABLE escalations
        DROP CONSTRAINT escalations_level_changed_check,
        DROP CONSTRAINT escalations_mappa_outcome_check`);
    // A MAPPA outcome has no v1 equal: the review's record is kept as a note on "other".
    await q.query(`
      UPDATE escalations SET outcome = 'OTHER',
        outcome_note = concat_ws(' – ', outcome || coalesce(' to level ' || mappa_level, ''), rationale, outcome_note)
      WHERE outcome IN ('LEVEL_CHANGED','LEVEL_CONFIRMED','CATEGORY_3_REFERRED','NO_ACTION')`);
    await q.query(`ALTER TABLE escalations DROP COLUMN mappa_level, DROP COLUMN rationale`);
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_outcome_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_outcome_check
        CHECK (outcome IN ('RISK_MANAGEMENT_PLAN_UPDATED','MAPPA_REFERRAL_MADE','SAFEGUARDING_REFERRAL_MADE',
                           'POLICE_INFORMED','MONITORING_CHANGED','NO_FURTHER_ACTION','OTHER'))`);
    await q.query(`ALTER TABLE escalations DROP CONSTRAINT escalations_target_check`);
    await q.query(`
      ALTER TABLE escalations ADD CONSTRAINT escalations_target_check
        CHECK (target IN ('POM','IRMM','MAPPA','SECURITY'))`);
  }
}
