import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `refresh_call_statistics(min_changes)`: analyses calls when its statistics have fallen behind a
 * bulk load, for the worker to call after triage. The claim's plan rests on them: with the
 * statistics of a table a tenth of its size, a claim sorted 147,000 pending rows (658 ms) instead of
 * walking the queue index, and autovacuum may be off, or minutes behind. Stale means the table has
 * grown by more than a tenth (or by `min_changes` rows' worth of pages) since the last analyse, or
 * more than a tenth of its rows (and at least `min_changes`) have changed: autovacuum's own rule, with
 * a floor. The size test is exact at once (the cumulative statistics lag by up to a second).
 *
 * SECURITY DEFINER because ANALYZE needs the table's owner and the application should not connect as
 * it; the function does nothing but this. The advisory lock keeps two workers from analysing at once.
 */
export class CallStatistics1764748800000 implements MigrationInterface {
  name = 'CallStatistics1764748800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION refresh_call_statistics(min_changes bigint) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public SET lock_timeout = '1s' AS $$
      DECLARE
        analysed_pages float8;
        analysed_rows float8;
        pages float8;
        changed bigint;
      BEGIN
        SELECT greatest(c.relpages, 0), greatest(c.reltuples, 0), coalesce(s.n_mod_since_analyze, 0)
          INTO analysed_pages, analysed_rows, changed
          FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
          WHERE c.oid = 'public.calls'::regclass;
        pages := pg_relation_size('public.calls'::regclass) / current_setting('block_size')::int;
        IF pages - analysed_pages <= greatest(min_changes / 20.0, analysed_pages * 0.1)
           AND changed <= greatest(min_changes, analysed_rows * 0.1) THEN
          RETURN false;
        END IF;
        IF NOT pg_try_advisory_xact_lock(7301244016) THEN
          RETURN false;
        END IF;
        ANALYZE public.calls;
        RETURN true;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refresh_call_statistics(bigint)`);
  }
}
