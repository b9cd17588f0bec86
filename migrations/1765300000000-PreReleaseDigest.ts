import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pre-release monitoring digest for the community offender manager (issue 14, item 2).
 *
 * disclosures: the register of intercepted material sent outside the prison — what was sent
 * (`kind`), to whom, the POM's analysis, when and by whom, the period it covered, and the digest
 * itself as sent (`snapshot`, the JSON) with the SHA-256 of its canonical form, so the register shows
 * exactly what went. Append-only like the audit trail: a disclosure made stays made.
 *
 * pre_release_digests_due: the daily job's mark that a prisoner's handover date has come and their
 * POM owes the COM a digest. One row per prisoner and handover date (running the job again adds
 * nothing); `disclosure_id` is set when the digest is sent.
 */
export class PreReleaseDigest1765300000000 implements MigrationInterface {
  name = 'PreReleaseDigest1765300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disclosures (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        kind                text NOT NULL CHECK (kind IN ('PRE_RELEASE_DIGEST')),
        recipient           text NOT NULL,
        analysis            text NOT NULL,
        sent_at             timestamptz NOT NULL,
        sent_by             text NOT NULL,
        period_from         timestamptz NOT NULL,
        period_to           timestamptz NOT NULL,
        content_sha256      text NOT NULL,
        snapshot            jsonb NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX disclosures_by_establishment ON disclosures (establishment_code, sent_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX disclosures_by_prisoner ON disclosures (prison_number, sent_at DESC)`,
    );
    await q.query(`
      CREATE FUNCTION disclosures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'disclosures is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER disclosures_no_update_delete BEFORE UPDATE OR DELETE ON disclosures
      FOR EACH ROW EXECUTE FUNCTION disclosures_append_only()`);
    await q.query(`
      CREATE TRIGGER disclosures_no_truncate BEFORE TRUNCATE ON disclosures
      FOR EACH STATEMENT EXECUTE FUNCTION disclosures_append_only()`);

    await q.query(`
      CREATE TABLE pre_release_digests_due (
        prison_number       text NOT NULL REFERENCES prisoners(prison_number),
        handover_date       date NOT NULL,
        establishment_code  char(3) NOT NULL REFERENCES establishments(code),
        pom_username        text,
        marked_at           timestamptz NOT NULL DEFAULT now(),
        disclosure_id       uuid REFERENCES disclosures(id),
        PRIMARY KEY (prison_number, handover_date)
      )`);
    await q.query(`
      CREATE INDEX pre_release_digests_due_open ON pre_release_digests_due (establishment_code)
      WHERE disclosure_id IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pre_release_digests_due`);
    await q.query(`DROP TABLE disclosures`);
    await q.query(`DROP FUNCTION disclosures_append_only()`);
  }
}
