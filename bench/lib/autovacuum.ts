import { Client } from 'pg';
import { connect, withDatabase } from './pg';
import { log, sleep } from './util';

export interface AutovacuumState {
  /** What the benchmark ran with. */
  on: boolean;
  /** How it came to be so, for the results. */
  note: string;
  /** Puts the server's setting back as it was. */
  restore(): Promise<void>;
}

const current = async (c: Client) =>
  (await c.query<{ v: string }>(`SELECT current_setting('autovacuum') AS v`)).rows[0].v;

/**
 * Production runs PostgreSQL with autovacuum on; a test cluster may not (this machine's CI settings
 * turn it off). Autovacuum is a server setting (a database or table setting cannot turn it on when
 * the server has it off), so the benchmark turns it on with ALTER SYSTEM and a reload for the run and
 * puts back the previous value afterwards: RESET when it came from the configuration files, the old
 * value when it had itself been set with ALTER SYSTEM.
 */
export async function autovacuumOn(serverUrl: string): Promise<AutovacuumState> {
  const admin = await connect(withDatabase(serverUrl, 'postgres'), 'mpc-bench-settings');
  try {
    const before = await admin.query<{ setting: string; sourcefile: string | null }>(
      `SELECT setting, sourcefile FROM pg_settings WHERE name = 'autovacuum'`,
    );
    const { setting, sourcefile } = before.rows[0];
    if (setting === 'on') {
      await admin.end();
      return { on: true, note: 'on (the server setting)', restore: async () => undefined };
    }
    const fromAlterSystem = (sourcefile ?? '').endsWith('postgresql.auto.conf');
    await admin.query(`ALTER SYSTEM SET autovacuum = on`);
    await admin.query(`SELECT pg_reload_conf()`);
    for (let i = 0; i < 50 && (await current(admin)) !== 'on'; i++) await sleep(100);
    const on = (await current(admin)) === 'on';
    log(`autovacuum turned on for the run (was off, from ${sourcefile ?? 'the default'})`);
    return {
      on,
      note: `on for the run (ALTER SYSTEM; the server has it off in ${sourcefile ?? 'its defaults'}, restored afterwards)`,
      restore: async () => {
        try {
          await admin.query(
            fromAlterSystem ? `ALTER SYSTEM SET autovacuum = off` : `ALTER SYSTEM RESET autovacuum`,
          );
          await admin.query(`SELECT pg_reload_conf()`);
          log(`autovacuum restored to the server's setting (${setting})`);
        } finally {
          await admin.end().catch(() => undefined);
        }
      },
    };
  } catch (err) {
    await admin.end().catch(() => undefined);
    const message = (err as Error).message;
    log(`autovacuum stays off: ${message}`);
    return {
      on: false,
      note: `off (could not turn it on: ${message})`,
      restore: async () => undefined,
    };
  }
}

/** What the planner has to go on for a table: when it was last analysed, and changes since. */
export async function tableStatistics(db: Client, table: string) {
  const r = await db.query<{
    lastAnalyze: Date | null;
    lastAutoanalyze: Date | null;
    modifiedSinceAnalyze: number;
    liveRows: number;
  }>(
    `SELECT last_analyze AS "lastAnalyze", last_autoanalyze AS "lastAutoanalyze",
            n_mod_since_analyze::bigint::float8 AS "modifiedSinceAnalyze", n_live_tup::float8 AS "liveRows"
     FROM pg_stat_user_tables WHERE relname = $1`,
    [table],
  );
  return r.rows[0];
}
