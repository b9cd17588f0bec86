import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Oversight for heads of offender management: hourly backlog snapshots, persisted risk flags, holds
 * that keep a call beyond retention, and the indexes the backlog figures are served from.
 */
export class Oversight1764403200000 implements MigrationInterface {
  name = 'Oversight1764403200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prisoners ADD COLUMN mappa_level_reviewed_at date`);
    await q.query(`ALTER TABLE calls ADD COLUMN purged_at timestamptz`);

    // Backlog summary: counts, breaches and the oldest pending call per tier from the index alone.
    await q.query(`
      CREATE INDEX calls_pending_summary_idx ON calls (establishment_code, tier)
      INCLUDE (started_at, due_at) WHERE status = 'PENDING'`);
    // Arrivals into the queue (calls triaged to a tier) by when they were made, and when they were logged.
    await q.query(`
      CREATE INDEX calls_arrivals_idx ON calls (establishment_code, started_at)
      INCLUDE (due_at, logged_at, status) WHERE tier IS NOT NULL`);
    await q.query(`
      CREATE INDEX calls_logged_idx ON calls (establishment_code, logged_at)
      INCLUDE (due_at) WHERE logged_at IS NOT NULL`);
    // Retention sweep: calls not yet purged, oldest first.
    await q.query(
      `CREATE INDEX calls_retention_idx ON calls (started_at) WHERE status <> 'PURGED'`,
    );

    await q.query(`
      CREATE TABLE backlog_snapshots (
        establishment_code    char(3) NOT NULL REFERENCES establishments(code),
        taken_at              timestamptz NOT NULL,
        pending               int NOT NULL,
        breached              int NOT NULL,
        by_tier               jsonb NOT NULL,
        claimed               int NOT NULL,
        awaiting_translation  int NOT NULL,
        arrivals_24h          int NOT NULL,
        logs_24h              int NOT NULL,
        PRIMARY KEY (establishment_code, taken_at),
        CHECK (taken_at = date_trunc('hour', taken_at))
      )`);

    await q.query(`
      CREATE TABLE risk_flags (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        type                text NOT NULL,
        subject             text NOT NULL,
        prison_number       text,
        detail              text NOT NULL,
        since               timestamptz NOT NULL,
        first_seen_at       timestamptz NOT NULL DEFAULT now(),
        last_seen_at        timestamptz NOT NULL DEFAULT now(),
        resolved_at         timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX risk_flags_one_open ON risk_flags (establishment_code, type, subject)
      WHERE resolved_at IS NULL`);

    await q.query(`
      CREATE TABLE call_holds (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id         uuid NOT NULL REFERENCES calls(id),
        justification   text NOT NULL,
        review_at       date NOT NULL,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        released_at     timestamptz,
        released_by     text,
        release_reason  text
      )`);
    await q.query(
      `CREATE INDEX call_holds_active_idx ON call_holds (call_id) WHERE released_at IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE call_holds`);
    await q.query(`DROP TABLE risk_flags`);
    await q.query(`DROP TABLE backlog_snapshots`);
    await q.query(`DROP INDEX calls_retention_idx`);
    await q.query(`DROP INDEX calls_logged_idx`);
    await q.query(`DROP INDEX calls_arrivals_idx`);
    await q.query(`DROP INDEX calls_pending_summary_idx`);
    await q.query(`ALTER TABLE calls DROP COLUMN purged_at`);
    await q.query(`ALTER TABLE prisoners DROP COLUMN mappa_level_reviewed_at`);
  }
}
