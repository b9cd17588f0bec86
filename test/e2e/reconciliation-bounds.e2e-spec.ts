import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * A reconciliation over a long period is counted in the database; only the unexplained calls are
 * listed one by one, and no more than a thousand of them (the oldest), however many there are.
 */
describe('reconciliation of a large period', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.close());

  it('counts every covered call and lists at most the 1,000 oldest unexplained ones', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const hour = 3_600_000;
    const t0 = Date.now() - 2 * hour;
    const at = (i: number) => new Date(t0 - i * 60_000).toISOString();
    // 1,200 calls left RECEIVED (never triaged: unexplained), 300 triaged to the queue.
    for (let i = 0; i < 1200; i += 600)
      await s.ingest(
        Array.from({ length: 600 }, (_, k) => s.call(prisoner, { startedAt: at(i + k) })),
      );
    await s.ingestAndTriage(
      Array.from({ length: 300 }, () =>
        s.call(prisoner, { startedAt: new Date(Date.now() - hour).toISOString() }),
      ),
    );
    const security = await s.staff(['SECURITY_MANAGER']);
    const res = await api.http
      .get(
        `/api/reconciliation?establishment=${s.establishment}&from=${new Date(Date.now() - 200 * 24 * hour).toISOString()}`,
      )
      .set(bearer(security.token))
      .expect(200);
    const body = res.body as {
      total: number;
      pending: number;
      unexplained: { total: number; items: { startedAt: string; reason: string }[] };
    };
    expect(body.total).toBe(1500);
    expect(body.pending).toBe(300);
    expect(body.unexplained.total).toBe(1200);
    expect(body.unexplained.items).toHaveLength(1000);
    const times = body.unexplained.items.map((i) => i.startedAt);
    expect(times).toEqual([...times].sort());
    // The oldest: the 200 most recent unexplained calls are the ones left out.
    expect(times[0]).toBe(at(1199));
    expect(body.unexplained.items[0].reason).toBe('received but never triaged');
  });
});
