import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The spine: reference data, prisoners and contacts, monitoring authorisations, calls with the
 * listening queue's partial indexes, triage bookkeeping and the append-only audit trail.
 */
export class Foundation1764230400000 implements MigrationInterface {
  name = 'Foundation1764230400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE establishments (
        code        char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
        name        text NOT NULL,
        settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE staff (
        username        text PRIMARY KEY,
        display_name    text NOT NULL,
        password_hash   text,
        roles           text[] NOT NULL DEFAULT '{}',
        establishments  text[] NOT NULL DEFAULT '{}',
        trainings       text[] NOT NULL DEFAULT '{}',
        languages       text[] NOT NULL DEFAULT '{}',
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX staff_establishments_idx ON staff USING gin (establishments)`);

    await q.query(`
      CREATE TABLE prisoners (
        prison_number           text PRIMARY KEY CHECK (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
        first_name              text NOT NULL,
        last_name               text NOT NULL,
        establishment_code      char(3) NOT NULL REFERENCES establishments(code),
        alert_codes             text[] NOT NULL DEFAULT '{}',
        mappa_category          smallint CHECK (mappa_category BETWEEN 1 AND 4),
        mappa_level             smallint CHECK (mappa_level BETWEEN 1 AND 3),
        rosh_level              text CHECK (rosh_level IN ('LOW','MEDIUM','HIGH','VERY_HIGH')),
        earliest_release_date   date,
        pom_username            text REFERENCES staff(username),
        lead_listener_username  text REFERENCES staff(username),
        languages               text[] NOT NULL DEFAULT '{en}',
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX prisoners_establishment_idx ON prisoners (establishment_code)`);
    await q.query(`CREATE INDEX prisoners_pom_idx ON prisoners (pom_username)`);

    await q.query(`
      CREATE TABLE contacts (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prison_number   text NOT NULL REFERENCES prisoners(prison_number),
        name            text NOT NULL,
        relationship    text NOT NULL,
        phone_numbers   text[] NOT NULL DEFAULT '{}',
        is_victim       boolean NOT NULL DEFAULT false,
        is_child        boolean NOT NULL DEFAULT false,
        restriction     text NOT NULL DEFAULT 'NONE',
        source          text NOT NULL DEFAULT 'STAFF',
        source_username text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contacts_prisoner_idx ON contacts (prison_number)`);
    await q.query(`CREATE INDEX contacts_numbers_idx ON contacts USING gin (phone_numbers)`);

    await q.query(`
      CREATE TABLE privileged_numbers (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phone_number        text NOT NULL,
        organisation        text NOT NULL,
        kind                text NOT NULL,
        establishment_code  char(3) REFERENCES establishments(code),
        created_by          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX privileged_numbers_unique ON privileged_numbers (phone_number, coalesce(establishment_code, '*'))`,
    );

    await q.query(`
      CREATE TABLE monitoring_authorisations (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        type                text NOT NULL,
        grounds             text[] NOT NULL,
        channels            text[] NOT NULL,
        justification       text NOT NULL,
        status              text NOT NULL DEFAULT 'REQUESTED'
                            CHECK (status IN ('REQUESTED','ACTIVE','ENDED','EXPIRED')),
        requested_by        text NOT NULL,
        requested_at        timestamptz NOT NULL DEFAULT now(),
        approved_by         text,
        approved_at         timestamptz,
        approval_note       text,
        starts_at           timestamptz NOT NULL,
        ends_at             timestamptz,
        review_due_at       timestamptz NOT NULL,
        lookback_days       int NOT NULL DEFAULT 0 CHECK (lookback_days BETWEEN 0 AND 90),
        ended_at            timestamptz,
        ended_by            text,
        end_reason          text,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
    await q.query(
      `CREATE INDEX authorisations_prisoner_idx ON monitoring_authorisations (prison_number, status)`,
    );
    await q.query(
      `CREATE INDEX authorisations_establishment_idx ON monitoring_authorisations (establishment_code, status)`,
    );

    await q.query(`
      CREATE TABLE authorisation_reviews (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        authorisation_id    uuid NOT NULL REFERENCES monitoring_authorisations(id),
        decision            text NOT NULL CHECK (decision IN ('CONTINUE','END')),
        rationale           text NOT NULL,
        reviewed_by         text NOT NULL,
        reviewed_at         timestamptz NOT NULL DEFAULT now(),
        next_review_due_at  timestamptz
      )`);
    await q.query(
      `CREATE INDEX authorisation_reviews_idx ON authorisation_reviews (authorisation_id)`,
    );

    await q.query(`
      CREATE TABLE calls (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_id             text NOT NULL,
        batch_id                uuid NOT NULL,
        prison_number           text NOT NULL REFERENCES prisoners(prison_number),
        establishment_code      char(3) NOT NULL REFERENCES establishments(code),
        dialled_number          text NOT NULL,
        started_at              timestamptz NOT NULL,
        duration_seconds        int NOT NULL CHECK (duration_seconds >= 0),
        channel                 text NOT NULL,
        recording_ref           text,
        language                text NOT NULL DEFAULT 'en',
        status                  text NOT NULL DEFAULT 'RECEIVED' CHECK (status IN
                                ('RECEIVED','PENDING','CLAIMED','LOGGED','NOT_MONITORED',
                                 'EXCLUDED_PRIVILEGED','AWAITING_TRANSLATION','PURGED')),
        contact_id              uuid REFERENCES contacts(id),
        tier                    text CHECK (tier IN ('P1','P2','P3','P4')),
        due_at                  timestamptz,
        effective_due_at        timestamptz,
        priority_reasons        text[] NOT NULL DEFAULT '{}',
        required_trainings      text[] NOT NULL DEFAULT '{}',
        lead_listener_username  text,
        privileged_kind         text,
        claimed_by              text,
        claim_token             uuid,
        claimed_at              timestamptz,
        claim_expires_at        timestamptz,
        received_at             timestamptz NOT NULL DEFAULT now(),
        triaged_at              timestamptz,
        updated_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calls_external_id_unique UNIQUE (external_id)
      )`);
    // The listening queue: claim walks this in (tier, effective due) order for one establishment.
    await q.query(`
      CREATE INDEX calls_queue_idx ON calls (establishment_code, tier, effective_due_at)
      WHERE status = 'PENDING'`);
    // Continuity: the lead listener's own prisoners' calls, walked in the same order.
    await q.query(`
      CREATE INDEX calls_queue_lead_idx ON calls (lead_listener_username, tier, effective_due_at)
      WHERE status = 'PENDING' AND lead_listener_username IS NOT NULL`);
    await q.query(`CREATE INDEX calls_received_idx ON calls (batch_id) WHERE status = 'RECEIVED'`);
    await q.query(
      `CREATE INDEX calls_claimed_idx ON calls (claim_expires_at) WHERE status = 'CLAIMED'`,
    );
    await q.query(`CREATE INDEX calls_prisoner_idx ON calls (prison_number, started_at)`);
    await q.query(
      `CREATE INDEX calls_establishment_started_idx ON calls (establishment_code, started_at)`,
    );

    // One row per triaged chunk, written in the chunk's transaction: proves each call was triaged once.
    await q.query(`
      CREATE TABLE triage_runs (
        id            bigserial PRIMARY KEY,
        batch_id      uuid NOT NULL,
        calls_triaged int NOT NULL,
        finished_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX triage_runs_batch_idx ON triage_runs (batch_id)`);

    await q.query(`
      CREATE TABLE audit_events (
        id                  bigserial PRIMARY KEY,
        at                  timestamptz NOT NULL DEFAULT now(),
        username            text NOT NULL,
        roles               text[] NOT NULL DEFAULT '{}',
        action              text NOT NULL,
        entity_type         text NOT NULL,
        entity_id           text,
        establishment_code  char(3),
        client_address      text,
        correlation_id      text,
        details             jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_entity_idx ON audit_events (entity_type, entity_id, at)`);
    await q.query(`CREATE INDEX audit_user_idx ON audit_events (username, at)`);
    await q.query(`CREATE INDEX audit_at_idx ON audit_events (at)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE triage_runs`);
    await q.query(`DROP TABLE calls`);
    await q.query(`DROP TABLE authorisation_reviews`);
    await q.query(`DROP TABLE monitoring_authorisations`);
    await q.query(`DROP TABLE privileged_numbers`);
    await q.query(`DROP TABLE contacts`);
    await q.query(`DROP TABLE prisoners`);
    await q.query(`DROP TABLE staff`);
    await q.query(`DROP TABLE establishments`);
  }
}
