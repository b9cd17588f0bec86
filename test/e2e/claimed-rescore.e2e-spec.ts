import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

/**
 * A fact that changes while one of the prisoner's calls is claimed re-scores that call too: it keeps
 * its listener, and if handed back it returns to the queue at its new tier, not the one it had.
 */
describe('a claimed call takes a re-score', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const row = async (id: string) =>
    (
      await api.db.query<
        { status: string; tier: string; claimedBy: string | null; reasons: string[] }[]
      >(
        `SELECT status, tier, claimed_by AS "claimedBy", priority_reasons AS reasons
         FROM calls WHERE id = $1`,
        [id],
      )
    )[0];

  it('raised to MAPPA level 3 while claimed: still the listener’s, now P1, and back in the queue at P1', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const body = { firstName: 'Test', lastName: 'Claimed', establishmentCode: s.establishment };
    const prisoner = await s.prisoner(body);
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    const id = claimed.call.id;
    expect(await row(id)).toMatchObject({ status: 'CLAIMED', tier: 'P3' });

    await api.http
      .put(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .send({ ...body, mappaCategory: 1, mappaLevel: 3 })
      .expect(200);
    const during = await row(id);
    expect(during).toMatchObject({ status: 'CLAIMED', tier: 'P1', claimedBy: listener.username });
    expect(during.reasons).toContain('MAPPA level 3');

    // The listener can still log it with the token they hold...
    await api.http
      .post(`/api/calls/${id}/claim/extend`)
      .set(bearer(listener.token))
      .send({ token: claimed.claim.token })
      .expect(200);
    // ...and handed back, it waits at its new tier.
    await api.http
      .post(`/api/calls/${id}/release`)
      .set(bearer(listener.token))
      .send({ token: claimed.claim.token, reasonCode: 'END_OF_SHIFT' })
      .expect(200);
    expect(await row(id)).toMatchObject({ status: 'PENDING', tier: 'P1', claimedBy: null });
  });
});
