import { MigrationInterface, QueryRunner } from 'typeorm';

/** Child-contact alert codes (DESIGN.md): their calls need CHILD_SAFEGUARDING training from now on. */
const CHILD_CONTACT_CODES = ['CC1', 'CC2', 'CC3', 'CC4', 'CPC', 'CPRC', 'RCC', 'RCS'];

/**
 * Issue 13, item 7: trainings have dates, and the claim breaks ties.
 *
 * - A staff member's trainings keep their codes in `trainings` (as before) and, in the same order,
 *   when each was completed and when it lapses. Parallel arrays on the staff row rather than a table:
 *   the claim reads the listener's row anyway, and working out the trainings that count is then an
 *   expression over that one row (no join on the hot path). Rows written before (and any writer that
 *   knows nothing of dates) have empty date arrays: their trainings never lapse.
 * - The queue's walks order by (tier, effective due time, id): with id in the indexes the walk still
 *   stops at the first eligible call, with no sort. Before, two calls with the same keys came out in
 *   whatever order the index held them, which the simulator could not mirror.
 * - Calls already waiting of child-contact prisoners need CHILD_SAFEGUARDING, as triage now says for
 *   new ones (the prisoner's alert codes as stored; a re-score later gives the same answer).
 */
export class TrainingDates1764979200000 implements MigrationInterface {
  name = 'TrainingDates1764979200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE staff
        ADD COLUMN training_completed_on date[] NOT NULL DEFAULT '{}',
        ADD COLUMN training_expires_on date[] NOT NULL DEFAULT '{}',
        ADD CONSTRAINT staff_training_dates_parallel CHECK (
          cardinality(training_completed_on) <= cardinality(trainings)
          AND cardinality(training_expires_on) <= cardinality(trainings))`);

    const withId = async (name: string, columns: string, where: string) => {
      await q.query(`CREATE INDEX ${name}_v2 ON calls (${columns}, id) WHERE ${where}`);
      await q.query(`DROP INDEX ${name}`);
      await q.query(`ALTER INDEX ${name}_v2 RENAME TO ${name}`);
    };
    await withId(
      'calls_queue_idx',
      'establishment_code, tier, effective_due_at',
      `status = 'PENDING'`,
    );
    await withId(
      'calls_queue_lead_idx',
      'lead_listener_username, tier, effective_due_at',
      `status = 'PENDING' AND lead_listener_username IS NOT NULL`,
    );
    await withId(
      'calls_queue_other_language_idx',
      'establishment_code, tier, effective_due_at',
      `status = 'PENDING' AND language <> 'en'`,
    );

    await q.query(
      `UPDATE calls c SET required_trainings = c.required_trainings || 'CHILD_SAFEGUARDING'::text,
         updated_at = now()
       FROM prisoners p
       WHERE p.prison_number = c.prison_number AND p.alert_codes && $1::text[]
         AND c.status IN ('PENDING', 'CLAIMED', 'AWAITING_TRANSLATION')
         AND NOT ('CHILD_SAFEGUARDING' = ANY(c.required_trainings))`,
      [CHILD_CONTACT_CODES],
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    const withoutId = async (name: string, columns: string, where: string) => {
      await q.query(`CREATE INDEX ${name}_v1 ON calls (${columns}) WHERE ${where}`);
      await q.query(`DROP INDEX ${name}`);
      await q.query(`ALTER INDEX ${name}_v1 RENAME TO ${name}`);
    };
    await withoutId(
      'calls_queue_other_language_idx',
      'establishment_code, tier, effective_due_at',
      `status = 'PENDING' AND language <> 'en'`,
    );
    await withoutId(
      'calls_queue_lead_idx',
      'lead_listener_username, tier, effective_due_at',
      `status = 'PENDING' AND lead_listener_username IS NOT NULL`,
    );
    await withoutId(
      'calls_queue_idx',
      'establishment_code, tier, effective_due_at',
      `status = 'PENDING'`,
    );
    await q.query(`
      ALTER TABLE staff DROP CONSTRAINT staff_training_dates_parallel,
        DROP COLUMN training_expires_on, DROP COLUMN training_completed_on`);
  }
}
