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

    // The backlog summary counts an establishment's CLAIMED and AWAITING_TRANSLATION calls; without
    // this it read every call the establishment ever had (tens of thousands of rows at national scale).
    await q.query(`
      CREATE INDEX calls_waiting_status_idx ON calls (establishment_code, status)
      WHERE status IN ('CLAIMED', 'AWAITING_TRANSLATION')`);

    // A listener who speaks another language takes calls in it first within a tier: walked here, that
    // is the head of a small index instead of a scan past every English call of the tier.
    await q.query(`
      CREATE INDEX calls_queue_other_language_idx ON calls (establishment_code, tier, effective_due_at)
      WHERE status = 'PENDING' AND language <> 'en'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX calls_queue_other_language_idx`);
    await q.query(`DROP INDEX calls_waiting_status_idx`);
    await q.query(`DROP STATISTICS calls_lead_establishment_stats`);
  }
}
