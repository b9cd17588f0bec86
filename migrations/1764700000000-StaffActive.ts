import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts can be switched off without being deleted (their name stays on every audit row and log):
 * an inactive account cannot sign in and its tokens and sessions stop working within seconds.
 */
export class StaffActive1764700000000 implements MigrationInterface {
  name = 'StaffActive1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff ADD COLUMN active boolean NOT NULL DEFAULT true`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff DROP COLUMN active`);
  }
}
