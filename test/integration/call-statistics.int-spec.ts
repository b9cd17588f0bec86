import { Client } from 'pg';
import { startApi, TestApi } from '../support/api';
import { waitFor } from '../support/processes';
import { Scenario } from '../support/scenario';

interface Statistics {
  lastAnalyze: Date | null;
  analysedRows: number;
  rows: number;
}

/**
 * The claim's plan is chosen on the calls table's statistics, which a bulk load leaves behind (and
 * autovacuum, off on this machine, would not refresh): triage has the table analysed once it has
 * changed by more than ANALYZE_AFTER_CHANGES rows or a tenth of itself.
 */
describe('the statistics of calls after a bulk load', () => {
  let api: TestApi;

  beforeAll(async () => {
    process.env.ANALYZE_AFTER_CHANGES = '500';
    api = await startApi();
  });

  afterAll(async () => {
    delete process.env.ANALYZE_AFTER_CHANGES;
    await api.close();
  });

  const statistics = async (): Promise<Statistics> =>
    (
      await api.db.query<Statistics[]>(
        `SELECT s.last_analyze AS "lastAnalyze", c.reltuples::float8 AS "analysedRows",
                (SELECT count(*)::int FROM calls) AS rows
         FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'calls'::regclass`,
      )
    )[0];

  it('are refreshed by triage, without anyone running ANALYZE', async () => {
    // As the owner: the api's application role may not analyse a table it does not own.
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    await owner.query('ANALYZE calls').finally(() => owner.end());
    const before = await statistics();
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const added = Math.max(3000, Math.ceil(before.rows * 0.4));
    for (let i = 0; i < added; i += 1000)
      await s.ingestAndTriage(
        Array.from({ length: Math.min(1000, added - i) }, () => s.call(prisoner)),
      );

    const soon = await statistics();
    expect(soon.rows).toBe(before.rows + added);
    expect(soon.lastAnalyze!.getTime()).toBeGreaterThan(before.lastAnalyze!.getTime());
    // Analyses are spaced (15 s apart); the one owed after the last batch still comes, so the
    // planner ends up knowing the table as the load left it. Waited for by its time: when the table
    // already held many rows (other suites share the database), the first analysis alone can
    // cover 90% of them.
    const after = await waitFor(
      'an analysis after the last batch, covering the whole load',
      statistics,
      (st) =>
        st.lastAnalyze!.getTime() > soon.lastAnalyze!.getTime() &&
        st.analysedRows >= (before.rows + added) * 0.9,
      30_000,
    );
    expect(after.lastAnalyze!.getTime()).toBeGreaterThan(soon.lastAnalyze!.getTime());
  }, 60_000);
});
