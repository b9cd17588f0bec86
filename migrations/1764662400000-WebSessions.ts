import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the web workbench, in the table connect-pg-simple expects (it never creates it: the
 * schema is ours and reviewed like any other). Expired rows are pruned by the store on an index.
 */
export class WebSessions1764662400000 implements MigrationInterface {
  name = 'WebSessions1764662400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        sid     varchar NOT NULL COLLATE "default" PRIMARY KEY,
        sess    json NOT NULL,
        expire  timestamp(6) NOT NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_expire_idx ON web_sessions (expire)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
  }
}
