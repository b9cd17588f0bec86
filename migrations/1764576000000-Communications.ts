import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the call records themselves can say: pattern alerts over call metadata, transcripts with
 * keyword hits, the translation workflow, and intercepted mail (queued as communications with
 * channel MAIL, so it shares the queue, logs and escalations).
 */
export class Communications1764576000000 implements MigrationInterface {
  name = 'Communications1764576000000';

  public async up(q: QueryRunner): Promise<void> {
    // A transcript from the provider's speech-to-text: { "segments": [ { "at"?: seconds, "text" } ] }.
    await q.query(`ALTER TABLE calls ADD COLUMN transcript jsonb`);
    // The language a call was in before it was translated (language then names what listeners hear).
    await q.query(`ALTER TABLE calls ADD COLUMN original_language text`);
    await q.query(
      `CREATE INDEX calls_prisoner_number_idx ON calls (prison_number, dialled_number, started_at)`,
    );
    await q.query(`CREATE INDEX calls_number_idx ON calls (dialled_number, started_at)`);
    // Pattern detection reads each triaged batch's calls.
    await q.query(`CREATE INDEX calls_batch_idx ON calls (batch_id)`);

    await q.query(`
      CREATE TABLE pattern_alerts (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        dialled_number      text NOT NULL,
        kind                text NOT NULL CHECK (kind IN ('BURST', 'RATE_SPIKE', 'NEW_NUMBER_REPEATED',
                              'PROTECTED_CONTACT', 'OTHER_PRISONERS_PROTECTED_CONTACT', 'PRIVILEGED_SOCIAL_USE')),
        status              text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'DISMISSED')),
        reason              text NOT NULL,
        evidence            jsonb NOT NULL DEFAULT '{}'::jsonb,
        call_count          int NOT NULL DEFAULT 0,
        first_call_at       timestamptz,
        last_call_at        timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        acknowledged_at     timestamptz,
        acknowledged_by     text,
        dismissed_at        timestamptz,
        dismissed_by        text,
        dismiss_reason      text,
        CHECK (status <> 'DISMISSED' OR dismiss_reason IS NOT NULL)
      )`);
    // One live alert per prisoner, number and kind; later evidence updates it.
    await q.query(`
      CREATE UNIQUE INDEX pattern_alerts_one_live ON pattern_alerts (prison_number, dialled_number, kind)
      WHERE status <> 'DISMISSED'`);
    await q.query(
      `CREATE INDEX pattern_alerts_establishment_idx ON pattern_alerts (establishment_code, status)`,
    );

    await q.query(`
      CREATE TABLE translation_requests (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id             uuid NOT NULL REFERENCES calls(id),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        language            text NOT NULL,
        status              text NOT NULL DEFAULT 'REQUESTED'
                            CHECK (status IN ('REQUESTED', 'SENT', 'TRANSLATED', 'CANCELLED')),
        requested_by        text NOT NULL,
        requested_at        timestamptz NOT NULL DEFAULT now(),
        sent_at             timestamptz,
        sent_by             text,
        translator          text,
        translated_summary  text,
        translated_at       timestamptz,
        translated_by       text
      )`);
    await q.query(`
      CREATE UNIQUE INDEX translation_requests_one_live ON translation_requests (call_id)
      WHERE status IN ('REQUESTED', 'SENT')`);
    await q.query(
      `CREATE INDEX translation_requests_establishment_idx ON translation_requests (establishment_code, status)`,
    );

    await q.query(`
      CREATE TABLE mail_items (
        call_id             uuid PRIMARY KEY REFERENCES calls(id),
        direction           text NOT NULL CHECK (direction IN ('INCOMING', 'OUTGOING')),
        correspondent       text NOT NULL,
        correspondent_kind  text NOT NULL,
        received_at         timestamptz NOT NULL,
        scan_ref            text,
        created_by          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_items`);
    await q.query(`DROP TABLE translation_requests`);
    await q.query(`DROP TABLE pattern_alerts`);
    await q.query(`DROP INDEX calls_batch_idx`);
    await q.query(`DROP INDEX calls_number_idx`);
    await q.query(`DROP INDEX calls_prisoner_number_idx`);
    await q.query(`ALTER TABLE calls DROP COLUMN original_language`);
    await q.query(`ALTER TABLE calls DROP COLUMN transcript`);
  }
}
