import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { quietLog, Scenario, Staffer } from '../support/scenario';

interface Claimed {
  call: { id: string; prisonNumber: string; status: string };
  claim: { token: string; expiresAt: string };
}

/**
 * A claim is the listener's, not the session's or the device's (API.md, Hardening): any session of
 * theirs finds the calls they hold; they hold one at a time unless the establishment says otherwise;
 * a call they hand back is not given straight back to them, and a conflict of interest keeps the
 * prisoner's calls from them for good.
 */
describe('claims belong to the listener', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A prisoner on monitoring with `n` calls waiting, an hour apart (the oldest first in the queue). */
  async function waiting(s: Scenario, n: number, prisoner?: string) {
    const p = prisoner ?? (await s.prisoner());
    if (!prisoner) await s.authorise(p);
    await s.ingestAndTriage(
      Array.from({ length: n }, (_, i) =>
        s.call(p, { startedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString() }),
      ),
    );
    return p;
  }

  const claimed = async (s: Scenario, who: Staffer) =>
    (await s.claim(who).expect(200)).body as Claimed;
  const release = (who: Staffer, id: string, body: Record<string, unknown>) =>
    api.http.post(`/api/calls/${id}/release`).set(bearer(who.token)).send(body);
  const mine = async (who: Staffer) =>
    (await api.http.get('/api/queue/mine').set(bearer(who.token)).expect(200)).body as {
      items: Claimed[];
    };
  const heldBy = async (username: string) =>
    (
      await api.db.query<{ id: string }[]>(
        `SELECT id FROM calls WHERE status = 'CLAIMED' AND claimed_by = $1`,
        [username],
      )
    ).map((r) => r.id);

  it('holds one call at a time: a second claim is refused with the call held, and nothing is claimed', async () => {
    const s = await Scenario.create(api);
    await waiting(s, 3);
    const listener = await s.staff(['LISTENER']);
    const first = await claimed(s, listener);

    const again = await s.claim(listener).expect(409);
    const body = again.body as ErrorBody & { heldCallIds: string[] };
    expect(body.heldCallIds).toEqual([first.call.id]);
    expect(body.message).toMatch(/already hold a call/);
    expect(await heldBy(listener.username)).toEqual([first.call.id]);

    // Logged, the next claim is given.
    await api.http
      .post(`/api/calls/${first.call.id}/log`)
      .set(bearer(listener.token))
      .send(quietLog(first.claim.token))
      .expect(201);
    const next = await claimed(s, listener);
    expect(next.call.id).not.toBe(first.call.id);
  });

  it('gives one call to ten claims of one listener at the same moment (two tabs, a double click)', async () => {
    const s = await Scenario.create(api);
    await waiting(s, 10);
    const listener = await s.staff(['LISTENER']);

    const answers = await Promise.all(Array.from({ length: 10 }, () => s.claim(listener)));

    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    const id = (won[0].body as Claimed).call.id;
    expect(await heldBy(listener.username)).toEqual([id]);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect((r.body as { heldCallIds: string[] }).heldCallIds).toEqual([id]);
    }
  });

  it('lets an establishment allow more calls held at once, and no more than that', async () => {
    const s = await Scenario.create(api);
    await s.settings({ maxClaimsPerListener: 3 });
    await waiting(s, 8);
    const listener = await s.staff(['LISTENER']);

    const answers = await Promise.all(Array.from({ length: 8 }, () => s.claim(listener)));

    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(await heldBy(listener.username)).toHaveLength(3);
    await api.http
      .put(`/api/establishments/${s.establishment}/settings`)
      .set(bearer(s.adminToken))
      .send({ maxClaimsPerListener: 0 })
      .expect(400)
      .expect((res) => expect(JSON.stringify(res.body)).toContain('maxClaimsPerListener'));
  });

  it('lists the calls a listener holds to any session of theirs, with the token that logs them', async () => {
    const s = await Scenario.create(api);
    await waiting(s, 2);
    const listener = await s.staff(['LISTENER']);
    const colleague = await s.staff(['LISTENER']);
    const held = await claimed(s, listener);

    // Signed in again (another device, the browser restarted): a new token, the same claim.
    const elsewhere: Staffer = {
      ...listener,
      token: await s.login(listener.username, listener.password),
    };
    const listed = await mine(elsewhere);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0].call).toMatchObject({ id: held.call.id, status: 'CLAIMED' });
    expect(listed.items[0].claim.token).toBe(held.claim.token);
    expect((await mine(colleague)).items).toEqual([]);
    await api.http
      .get('/api/queue/mine')
      .set(bearer((await s.staff(['POM'])).token))
      .expect(403);

    await api.http
      .post(`/api/calls/${held.call.id}/log`)
      .set(bearer(elsewhere.token))
      .send(quietLog(listed.items[0].claim.token))
      .expect(201);
    expect((await mine(listener)).items).toEqual([]);
  });

  it('takes a release reason from the list, OTHER only with words, and the old body as OTHER', async () => {
    const s = await Scenario.create(api);
    await waiting(s, 1);
    const listener = await s.staff(['LISTENER']);
    const held = await claimed(s, listener);
    const id = held.call.id;

    const wrong = await release(listener, id, { token: held.claim.token, reasonCode: 'BORED' });
    expect(wrong.status).toBe(400);
    expect((wrong.body as ErrorBody).details.map((d) => d.field)).toEqual(['reasonCode']);
    const unsaid = await release(listener, id, { token: held.claim.token, reasonCode: 'OTHER' });
    expect(unsaid.status).toBe(400);
    expect((unsaid.body as ErrorBody).details.map((d) => d.field)).toEqual(['reason']);
    expect(await heldBy(listener.username)).toEqual([id]);

    await release(listener, id, { token: held.claim.token, reason: 'headset broke' }).expect(200);
    const audit = await api.db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_events WHERE action = 'CLAIM_RELEASED' AND entity_id = $1`,
      [id],
    );
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ reasonCode: 'OTHER', reason: 'headset broke' }),
    ]);
  });

  it('does not give a released call straight back to the listener who released it, unless nothing else waits', async () => {
    const s = await Scenario.create(api);
    await waiting(s, 2);
    const listener = await s.staff(['LISTENER']);
    const colleague = await s.staff(['LISTENER']);
    const first = await claimed(s, listener);
    await release(listener, first.call.id, {
      token: first.claim.token,
      reasonCode: 'NEEDS_TRAINING',
    }).expect(200);

    // Three times over: the other call, never the one handed back.
    const second = await claimed(s, listener);
    expect(second.call.id).not.toBe(first.call.id);
    await release(listener, second.call.id, {
      token: second.claim.token,
      reasonCode: 'TECHNICAL',
    }).expect(200);
    // Both are held back from this listener now; with nothing else waiting the older comes back.
    const third = await claimed(s, listener);
    expect([first.call.id, second.call.id]).toContain(third.call.id);
    await release(listener, third.call.id, {
      token: third.claim.token,
      reasonCode: 'END_OF_SHIFT',
    }).expect(200);
    // A colleague is given the most urgent as ever.
    expect((await claimed(s, colleague)).call.id).toBe(first.call.id);
  });

  it('never gives a listener who declared a conflict of interest that prisoner’s calls again', async () => {
    const s = await Scenario.create(api);
    const prisoner = await waiting(s, 2);
    const listener = await s.staff(['LISTENER']);
    const colleague = await s.staff(['LISTENER']);
    const held = await claimed(s, listener);
    await release(listener, held.call.id, {
      token: held.claim.token,
      reasonCode: 'CONFLICT_OF_INTEREST',
    }).expect(200);

    // Only that prisoner's calls wait: nothing for this listener, even when the cool-down is over.
    await s.settings({ releaseCooldownMinutes: 0 });
    await s.claim(listener).expect(204);
    await waiting(s, 1, prisoner);
    await s.claim(listener).expect(204);
    const other = await waiting(s, 1);
    expect((await claimed(s, listener)).call.prisonNumber).toBe(other);
    expect((await claimed(s, colleague)).call.prisonNumber).toBe(prisoner);
  });
});
