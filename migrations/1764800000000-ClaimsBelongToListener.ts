import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim is the listener's, not the browser session's:
 * - `staff.claim_seq` counts a listener's claims. The claim statement locks the listener's staff row
 *   and bumps it, so that two claims of one listener at once (two tabs) are serialised and the later
 *   one sees that the earlier happened (see QueueRepository) — the limit on calls held is exact.
 * - `claim_releases`: a released call is not offered back to the listener who released it until
 *   `offer_again_at` (the establishment's releaseCooldownMinutes), unless nothing else is eligible.
 * - `listener_conflicts`: released for a conflict of interest, the prisoner's calls are never offered
 *   to that listener again.
 * - `log_drafts`: a log being written when the session ended, kept (encrypted) while the claim it was
 *   written under lasts, and restored after signing in again; swept with the claim.
 */
export class ClaimsBelongToListener1764800000000 implements MigrationInterface {
  name = 'ClaimsBelongToListener1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff ADD COLUMN claim_seq bigint NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE claim_releases (
        call_id uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        username text NOT NULL,
        reason_code text NOT NULL CHECK (reason_code IN
          ('CONFLICT_OF_INTEREST', 'NEEDS_LANGUAGE', 'NEEDS_TRAINING', 'TECHNICAL', 'END_OF_SHIFT', 'OTHER')),
        released_at timestamptz NOT NULL DEFAULT now(),
        offer_again_at timestamptz NOT NULL,
        PRIMARY KEY (username, call_id)
      )`);
    await q.query(`CREATE INDEX claim_releases_offer_again_idx ON claim_releases (offer_again_at)`);
    await q.query(`
      CREATE TABLE listener_conflicts (
        username text NOT NULL,
        prison_number text NOT NULL,
        call_id uuid,
        declared_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (username, prison_number)
      )`);
    await q.query(`
      CREATE TABLE log_drafts (
        call_id uuid PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
        username text NOT NULL,
        claim_token uuid NOT NULL,
        content bytea NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE log_drafts`);
    await q.query(`DROP TABLE listener_conflicts`);
    await q.query(`DROP TABLE claim_releases`);
    await q.query(`ALTER TABLE staff DROP COLUMN claim_seq`);
  }
}
