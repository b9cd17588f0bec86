import { QueueRepository } from '../../src/queue/queue.repository';
import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * The claim keeps one generic plan per connection (issue 11, the busy hour's cost): after the five
 * executions PostgreSQL plans with their values, it must find the generic plan no dearer and stop
 * planning. Over `unnest($2)` the generic plan assumed ten establishments, cost ten index walks, and
 * every claim was planned afresh (3.5 ms of the database's time against 0.7 ms). Run as the api runs
 * it: a named statement on one connection, each execution its own transaction, rolled back here.
 */
describe('the claim statement', () => {
  let api: TestApi;
  let s: Scenario;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it('settles on its generic plan, an index walk, once the queue has statistics', async () => {
    const listener = await s.staff(['LISTENER']);
    for (let p = 0; p < 2; p++) {
      const prisoner = await s.prisoner();
      await s.authorise(prisoner);
      const calls = Array.from({ length: 500 }, (_, i) =>
        s.call(prisoner, { startedAt: new Date(Date.now() - (i + 2) * 60_000).toISOString() }),
      );
      const { accepted } = await s.ingestAndTriage(calls);
      expect(accepted).toBe(500);
    }
    const runner = api.db.createQueryRunner();
    await runner.connect();
    const rows = async <T>(sql: string, params?: unknown[]): Promise<T[]> =>
      (await runner.query(sql, params)) as T[];
    try {
      await runner.query(
        `ANALYZE calls, staff, establishments, listener_conflicts, claim_releases`,
      );
      const [{ pending }] = await rows<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM calls WHERE status = 'PENDING' AND establishment_code = $1`,
        [s.establishment],
      );
      expect(pending).toBe(1000);
      await runner.query(`PREPARE plan_check AS ${QueueRepository.claimSql}`);
      // EXECUTE takes no bind parameters: the values as literals (none holds a quote).
      const args = [
        listener.username,
        `{${s.establishment}}`,
        'LISTENER',
        '127.0.0.1',
        'plan-check',
      ]
        .map((v) => `'${v}'`)
        .concat('NULL') // $6: the pinned clock, unset as in the api
        .join(', ');
      const claimed: string[] = [];
      for (let i = 0; i < 8; i++) {
        await runner.query('BEGIN');
        try {
          const [row] = await rows<{ id: string | null }>(`EXECUTE plan_check(${args})`);
          claimed.push(String(row.id));
        } finally {
          await runner.query('ROLLBACK');
        }
      }
      // Every execution leased a call (and, rolled back, the same best one).
      expect(new Set(claimed).size).toBe(1);
      expect(claimed[0]).toMatch(/^[0-9a-f-]{36}$/);
      const [plans] = await rows<{ generic: string; custom: string }>(
        `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name = 'plan_check'`,
      );
      expect({ generic: Number(plans.generic), custom: Number(plans.custom) }).toEqual({
        generic: 3,
        custom: 5,
      });
      const explained = await rows<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE plan_check(${args})`);
      const plan = explained.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('Index Scan using calls_queue_idx');
      expect(plan).not.toMatch(/Sort Key: c(_\d+)?\.(tier|effective_due_at)/);
      await runner.query('DEALLOCATE plan_check');
    } finally {
      await runner.release();
    }
  });
});
