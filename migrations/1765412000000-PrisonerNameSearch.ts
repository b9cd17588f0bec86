import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prisoner search by name from the workbench's header (issue 20, item 2): a prefix of the first or
 * last name, in any case and with or without accents ("sean" finds Seán).
 *
 * prisoner_name_key(text): the name as the search compares it — lower case, accents taken off
 * (decomposed, combining marks removed). Immutable, so that it can be indexed; the unaccent
 * extension's function is only stable and would need a wrapper and an extension to install.
 *
 * One btree index per name on that key, with text_pattern_ops so that `LIKE 'sea%'` is a range
 * scan whatever the database's collation: without them every search read the whole table (the only
 * indexes on prisoners were by establishment and POM).
 */
export class PrisonerNameSearch1765412000000 implements MigrationInterface {
  name = 'PrisonerNameSearch1765412000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION prisoner_name_key(name text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT regexp_replace(normalize(lower(name), NFD), '[\\u0300-\\u036f]', '', 'g') $$`);
    await q.query(
      `CREATE INDEX prisoners_first_name_key_idx ON prisoners (prisoner_name_key(first_name) text_pattern_ops)`,
    );
    await q.query(
      `CREATE INDEX prisoners_last_name_key_idx ON prisoners (prisoner_name_key(last_name) text_pattern_ops)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX prisoners_last_name_key_idx`);
    await q.query(`DROP INDEX prisoners_first_name_key_idx`);
    await q.query(`DROP FUNCTION prisoner_name_key(text)`);
  }
}
