import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structured monitoring logs (append-only: an amendment is a new version), the escalations they raise,
 * POM read receipts, "identify this number" tasks and IRMM meetings.
 */
export class LogsAndEscalations1764316800000 implements MigrationInterface {
  name = 'LogsAndEscalations1764316800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calls ADD COLUMN logged_at timestamptz`);

    await q.query(`
      CREATE TABLE monitoring_logs (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id             uuid NOT NULL REFERENCES calls(id),
        version             int NOT NULL DEFAULT 1 CHECK (version >= 1),
        supersedes_id       uuid REFERENCES monitoring_logs(id),
        amendment_reason    text,
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        author_username     text NOT NULL,
        contact_id          uuid REFERENCES contacts(id),
        relationship        text NOT NULL,
        confidence          text NOT NULL CHECK (confidence IN ('CONFIRMED','PROBABLE','UNIDENTIFIED')),
        contact_is_child    boolean NOT NULL DEFAULT false,
        themes              jsonb NOT NULL,
        theme_codes         text[] NOT NULL,
        threats             jsonb NOT NULL DEFAULT '[]'::jsonb,
        concern_level       text NOT NULL CHECK (concern_level IN ('NONE','LOW','MEDIUM','HIGH','IMMEDIATE')),
        summary             text NOT NULL,
        recording_quality   text NOT NULL CHECK (recording_quality IN ('GOOD','POOR','UNUSABLE')),
        language            text NOT NULL,
        claimed_at          timestamptz,
        handling_seconds    int,
        created_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT monitoring_logs_version_unique UNIQUE (call_id, version),
        CHECK ((version = 1) = (supersedes_id IS NULL)),
        CHECK (version = 1 OR amendment_reason IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX monitoring_logs_prisoner_idx ON monitoring_logs (prison_number, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX monitoring_logs_establishment_idx ON monitoring_logs (establishment_code, created_at)`,
    );
    await q.query(
      `CREATE INDEX monitoring_logs_author_idx ON monitoring_logs (author_username, created_at)`,
    );
    await q.query(
      `CREATE INDEX monitoring_logs_themes_idx ON monitoring_logs USING gin (theme_codes)`,
    );
    // A submitted log is never edited or removed; the same guard as the audit trail.
    await q.query(`
      CREATE FUNCTION monitoring_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'monitoring_logs is append-only: % refused (amend with a new version)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER monitoring_logs_no_update_delete BEFORE UPDATE OR DELETE ON monitoring_logs
      FOR EACH ROW EXECUTE FUNCTION monitoring_logs_append_only()`);

    await q.query(`
      CREATE TABLE log_reads (
        log_id    uuid NOT NULL REFERENCES monitoring_logs(id),
        username  text NOT NULL,
        read_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (log_id, username)
      )`);

    await q.query(`
      CREATE TABLE escalations (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        target              text NOT NULL CHECK (target IN ('POM','IRMM','MAPPA','SECURITY')),
        status              text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ACKNOWLEDGED','CLOSED')),
        reason              text NOT NULL,
        concern_level       text NOT NULL DEFAULT 'MEDIUM'
                            CHECK (concern_level IN ('NONE','LOW','MEDIUM','HIGH','IMMEDIATE')),
        due_at              timestamptz,
        assignee_username   text,
        created_by          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        acknowledged_at     timestamptz,
        acknowledged_by     text,
        closed_at           timestamptz,
        closed_by           text,
        outcome             text CHECK (outcome IN ('RISK_MANAGEMENT_PLAN_UPDATED','MAPPA_REFERRAL_MADE',
                              'SAFEGUARDING_REFERRAL_MADE','POLICE_INFORMED','MONITORING_CHANGED',
                              'NO_FURTHER_ACTION','OTHER')),
        outcome_note        text,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'CLOSED') = (outcome IS NOT NULL)),
        CHECK (outcome IS DISTINCT FROM 'OTHER' OR outcome_note IS NOT NULL)
      )`);
    // One open escalation per prisoner and target: later logs attach to it.
    await q.query(`
      CREATE UNIQUE INDEX escalations_one_open ON escalations (prison_number, target) WHERE status <> 'CLOSED'`);
    await q.query(
      `CREATE INDEX escalations_assignee_idx ON escalations (assignee_username, status)`,
    );
    await q.query(
      `CREATE INDEX escalations_establishment_idx ON escalations (establishment_code, target, status)`,
    );

    await q.query(`
      CREATE TABLE escalation_logs (
        escalation_id uuid NOT NULL REFERENCES escalations(id),
        log_id        uuid NOT NULL REFERENCES monitoring_logs(id),
        attached_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (escalation_id, log_id)
      )`);
    await q.query(`CREATE INDEX escalation_logs_log_idx ON escalation_logs (log_id)`);

    await q.query(`
      CREATE TABLE identification_tasks (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        dialled_number      text NOT NULL,
        call_id             uuid NOT NULL REFERENCES calls(id),
        log_id              uuid NOT NULL REFERENCES monitoring_logs(id),
        status              text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','RESOLVED')),
        created_at          timestamptz NOT NULL DEFAULT now(),
        resolved_at         timestamptz,
        resolved_by         text,
        resolution_note     text
      )`);
    await q.query(`
      CREATE UNIQUE INDEX identification_tasks_one_open ON identification_tasks (prison_number, dialled_number)
      WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE irmm_meetings (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        held_at             timestamptz NOT NULL,
        attendees           text[] NOT NULL,
        recorded_by         text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE irmm_meeting_items (
        meeting_id      uuid NOT NULL REFERENCES irmm_meetings(id),
        escalation_id   uuid NOT NULL REFERENCES escalations(id),
        prison_number   text NOT NULL,
        decision        text NOT NULL CHECK (decision IN ('CLOSE','CARRY_FORWARD')),
        outcome         text,
        note            text,
        PRIMARY KEY (meeting_id, escalation_id)
      )`);
    await q.query(`CREATE INDEX irmm_items_prisoner_idx ON irmm_meeting_items (prison_number)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE irmm_meeting_items`);
    await q.query(`DROP TABLE irmm_meetings`);
    await q.query(`DROP TABLE identification_tasks`);
    await q.query(`DROP TABLE escalation_logs`);
    await q.query(`DROP TABLE escalations`);
    await q.query(`DROP TABLE log_reads`);
    await q.query(`DROP TABLE monitoring_logs`);
    await q.query(`DROP FUNCTION monitoring_logs_append_only()`);
    await q.query(`ALTER TABLE calls DROP COLUMN logged_at`);
  }
}
