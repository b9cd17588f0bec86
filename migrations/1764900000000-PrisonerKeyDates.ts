import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A prisoner's key dates (release, release on temporary licence, home detention curfew, parole
 * hearing), as given by PUT /prisoners/:prisonNumber. Stored as they were given: which one is next,
 * and what it does to a call's tier and due time, is the priority policy's. `earliest_release_date`
 * stays on the prisoner and counts as a release date too. One row per type and day; a prisoner may
 * have several dates of a type (a parole hearing adjourned to a new one).
 */
export class PrisonerKeyDates1764900000000 implements MigrationInterface {
  name = 'PrisonerKeyDates1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prisoner_key_dates (
        prison_number  text NOT NULL REFERENCES prisoners(prison_number),
        type           text NOT NULL CHECK (type IN ('RELEASE', 'ROTL', 'HDC', 'PAROLE_HEARING')),
        date           date NOT NULL,
        PRIMARY KEY (prison_number, type, date)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE prisoner_key_dates`);
  }
}
