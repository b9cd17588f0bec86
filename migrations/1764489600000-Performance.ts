import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the national-scale benchmarks (bench/, `npm run bench`) showed the planner and the backlog
 * figures need once the calls table holds millions of rows.
 */
export class Performance1764489600000 implements MigrationInterface {
  name = 'Performance1764489600000';

  public async up(q: QueryRunner): Promise<void> {
    // A lead listener's calls are all at the listener's establishment, but the planner multiplies the
    // two conditions as if independent, expects almost none of the lead's calls to qualify, and sorts
    // them all instead of taking the head of calls_queue_lead_idx. The dependency statistics tell it.
    await q.query(`
      CREATE STATISTICS calls_lead_establishment_stats (dependencies)
      ON lead_listener_username, establishment_code FROM calls`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS calls_lead_establishment_stats`);
  }
}
