import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `claim_establishments(codes)`: the establishments a claim walks, as rows, estimated as ONE row.
 *
 * The claim is a named statement. PostgreSQL plans its first five executions with their values,
 * then keeps one generic plan for the connection only if that plan costs no more than the custom
 * ones did (plus what planning costs). Over `unnest($2)` a generic plan must assume ten
 * establishments, so it costs ten index walks where a listener's own plan costs one, and PostgreSQL
 * planned every claim afresh: 3.5 ms of the database's time per claim against 0.7 ms on the generic
 * plan (bench/PERFORMANCE.md, 3 December 2026). Nearly every listener claims from one
 * establishment, so one row is the honest estimate. STRICT keeps the function from being inlined,
 * which would bring back unnest's estimate; IMMUTABLE and PARALLEL SAFE, as unnest is.
 */
export class ClaimEstablishments1765050000000 implements MigrationInterface {
  name = 'ClaimEstablishments1765050000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION claim_establishments(codes char(3)[]) RETURNS SETOF char(3)
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 1
      AS $$ SELECT unnest(codes) $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION claim_establishments(char(3)[])`);
  }
}
