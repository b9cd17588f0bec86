import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

describe('the listening queue', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('gives 30 eligible calls to 50 concurrent claimers exactly once each', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage(Array.from({ length: 30 }, () => s.call(prisoner)));
    const listeners = await Promise.all(Array.from({ length: 10 }, () => s.staff(['LISTENER'])));

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.claim(listeners[i % listeners.length])),
    );

    const claimed = responses
      .filter((r) => r.status === 200)
      .map((r) => (r.body as { call: { id: string } }).call.id);
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed).size).toBe(30);
    expect(responses.filter((r) => r.status === 204)).toHaveLength(20);
    const rows: { status: string; n: number }[] = await api.db.query(
      `SELECT status, count(*)::int AS n FROM calls WHERE prison_number = $1 GROUP BY status`,
      [prisoner],
    );
    expect(rows).toEqual([{ status: 'CLAIMED', n: 30 }]);
  });

  it('claims in tier order and shows the reasons', async () => {
    const s = await Scenario.create(api);
    const ordinary = await s.prisoner();
    const level3 = await s.prisoner({ alertCodes: ['P88'] });
    await s.authorise(ordinary);
    await s.authorise(level3);
    await s.ingestAndTriage([s.call(ordinary), s.call(level3)]);
    const listener = await s.staff(['LISTENER'], { trainings: ['PUBLIC_PROTECTION'] });

    const first = await s.claim(listener).expect(200);
    expect(first.body.call).toMatchObject({ prisonNumber: level3, tier: 'P1', status: 'CLAIMED' });
    expect(first.body.call.priorityReasons).toContain('MAPPA level 3');
    expect(first.body.claim.token).toEqual(expect.any(String));
    const second = await s.claim(listener).expect(200);
    expect(second.body.call).toMatchObject({ prisonNumber: ordinary, tier: 'P3' });
  });
});
