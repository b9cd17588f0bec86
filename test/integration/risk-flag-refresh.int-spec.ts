import { REFRESH_LOCK_KEY } from '../../src/risk-flags/risk-flags.repository';
import { RiskFlagsService } from '../../src/risk-flags/risk-flags.service';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * Refreshes of the stored risk flags run one at a time; readers who arrive together share one
 * refresh instead of queueing for the lock to compute the same flags again (issue 11: twenty wide
 * reads at once answered 503 at the lock timeout). A refresh asked for after a change still sees it.
 */
describe('risk flag refreshes', () => {
  let api: TestApi;
  let s: Scenario;
  let flags: RiskFlagsService;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
    flags = api.app.get(RiskFlagsService);
  });

  afterAll(async () => {
    await api.close();
  });

  const highRiskFlags = async (token: string) => {
    const res = await api.http
      .get(`/api/risk-flags?establishment=${s.establishment}&type=HIGH_RISK_NOT_MONITORED`)
      .set(bearer(token))
      .expect(200);
    return (res.body as { items: { prisonNumber: string }[] }).items.map((f) => f.prisonNumber);
  };

  it('shares one refresh among callers who arrive together, and sees a change made after', async () => {
    const head = await s.staff(['HEAD_OF_OMU']);
    const first = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });

    // Six callers arrive while a refresh holds the lock (here, a transaction of the test's own);
    // when it lets go, the first of them computes and the other five use its result.
    const holder = api.db.createQueryRunner();
    await holder.connect();
    let together: Awaited<ReturnType<RiskFlagsService['refresh']>>[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK_KEY]);
      const pending = Promise.all(
        Array.from({ length: 6 }, () => flags.refresh([s.establishment])),
      );
      const waiting = async () =>
        Number(
          (
            (await holder.query(
              `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            )) as { n: string }[]
          )[0].n,
        );
      const deadline = Date.now() + 15_000;
      while ((await waiting()) < 6 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await waiting()).toBe(6);
      await holder.query('ROLLBACK');
      together = await pending;
    } finally {
      await holder.release();
    }
    expect(together.filter((r) => !r.coalesced)).toHaveLength(1);
    expect(together.every((r) => r.establishments.join() === s.establishment)).toBe(true);
    expect(await highRiskFlags(head.token)).toEqual([first]);

    // A change committed before the next refresh is asked for is always computed, never coalesced.
    const second = await s.prisoner({ alertCodes: ['RSP', 'ROV'] });
    const after = await flags.refresh([s.establishment]);
    expect(after).toMatchObject({ coalesced: false, raised: 1 });
    expect((await highRiskFlags(head.token)).sort()).toEqual([first, second].sort());
  });
});
