import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `risk_flag_refreshes`: when each establishment's flags were last computed (the database's clock,
 * read once the refresh held its lock). A read that waited for another refresh's lock uses that
 * refresh's result when it began after the read arrived (RiskFlagsService.refresh).
 */
export class RiskFlagRefreshes1765060000000 implements MigrationInterface {
  name = 'RiskFlagRefreshes1765060000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_flag_refreshes (
        establishment_code char(3) PRIMARY KEY REFERENCES establishments(code) ON DELETE CASCADE,
        began_at timestamptz NOT NULL
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk_flag_refreshes`);
  }
}
