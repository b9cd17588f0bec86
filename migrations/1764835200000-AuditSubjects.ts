import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One audit row per read request: a list or page that shows many records writes one row naming them
 * all in `subject_ids` (each record's id, the ids of records shown with it, and the prisoners they
 * belong to), instead of a row per record. The audit search finds a row by any of them.
 *
 * The GIN index is partial: a row about one record (nearly all of them) keeps the array empty, and
 * the search's test repeats the predicate so the planner can use it. Adding the column with a
 * constant default rewrites nothing; every existing row reads as naming no other subjects.
 */
export class AuditSubjects1764835200000 implements MigrationInterface {
  name = 'AuditSubjects1764835200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN subject_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `CREATE INDEX audit_subjects_idx ON audit_events USING gin (subject_ids) WHERE subject_ids <> '{}'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_subjects_idx`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN subject_ids`);
  }
}
