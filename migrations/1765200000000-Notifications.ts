import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications through GOV.UK Notify (issue 14, item 5).
 *
 * staff gains an email address and how escalations reach them (IMMEDIATE or DAILY_DIGEST; security
 * and safer-custody ones are always immediate, whatever this says).
 *
 * duty_rota: who is the establishment's duty security contact when. Entries may overlap (two on
 * duty, both are told).
 *
 * notifications: the outbox. A row is written in the transaction that raised or reopened the
 * escalation (or wrote the day's digest), so an email is owed exactly when the change committed.
 * The sender claims due rows (QUEUED, or SENDING with an expired lease) with FOR UPDATE SKIP
 * LOCKED; the row's id is the Notify `reference`, which the sender looks up before sending a row
 * whose earlier attempt may have reached Notify. `dedupe_key` makes the daily digest one per person
 * per day. Never the content of a call: personalisation holds what kind of thing, a prisoner number
 * at most, and a link.
 */
export class Notifications1765200000000 implements MigrationInterface {
  name = 'Notifications1765200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE staff
        ADD COLUMN email text,
        ADD COLUMN notify_escalations text NOT NULL DEFAULT 'IMMEDIATE'
          CHECK (notify_escalations IN ('IMMEDIATE','DAILY_DIGEST'))`);
    await q.query(`
      CREATE TABLE duty_rota (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        username            text NOT NULL REFERENCES staff(username),
        from_at             timestamptz NOT NULL,
        to_at               timestamptz NOT NULL,
        created_by          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (to_at > from_at)
      )`);
    await q.query(`CREATE INDEX duty_rota_by_time ON duty_rota (establishment_code, from_at)`);
    await q.query(`
      CREATE TABLE notifications (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind                text NOT NULL CHECK (kind IN
                              ('ESCALATION_RAISED','ESCALATION_REOPENED','DAILY_DIGEST')),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        recipient_username  text NOT NULL,
        recipient_email     text,
        template_id         text,
        personalisation     jsonb NOT NULL DEFAULT '{}'::jsonb,
        escalation_id       uuid REFERENCES escalations(id),
        dedupe_key          text UNIQUE,
        status              text NOT NULL DEFAULT 'QUEUED'
                              CHECK (status IN ('QUEUED','SENDING','SENT','FAILED')),
        attempts            int NOT NULL DEFAULT 0,
        next_attempt_at     timestamptz NOT NULL DEFAULT now(),
        lease_until         timestamptz,
        last_error          text,
        notify_id           text,
        sent_at             timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE INDEX notifications_due ON notifications (next_attempt_at)
        WHERE status IN ('QUEUED','SENDING')`);
    await q.query(
      `CREATE INDEX notifications_by_establishment ON notifications (establishment_code, created_at DESC)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE duty_rota`);
    await q.query(`ALTER TABLE staff DROP COLUMN email, DROP COLUMN notify_escalations`);
  }
}
