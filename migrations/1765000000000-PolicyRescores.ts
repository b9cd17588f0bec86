import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `policy_rescores`: which versions of the priority policy every waiting call has been re-scored
 * under. A release that changes the policy bumps POLICY_VERSION (src/triage/priority-policy.ts);
 * the worker then re-scores every prisoner's waiting calls once, in chunks, and records it here.
 */
export class PolicyRescores1765000000000 implements MigrationInterface {
  name = 'PolicyRescores1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_rescores (
        policy_version integer PRIMARY KEY,
        finished_at timestamptz NOT NULL DEFAULT now(),
        prisoners integer NOT NULL,
        calls_written integer NOT NULL
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_rescores`);
  }
}
