import { DEFAULT_SETTINGS } from '../../src/establishments/settings';
import { QueueService } from '../../src/queue/queue.service';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer } from '../support/scenario';

const HOUR = 3_600_000;
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

interface CallBody {
  id: string;
  position?: number;
  prisonNumber: string;
  status: string;
  tier: string | null;
  startedAt: string;
  dueAt: string | null;
  priorityReasons: string[];
  requiredTrainings: string[];
  claim: { username: string; expiresAt: string } | null;
}

interface Claimed {
  call: CallBody;
  claim: { token: string; expiresAt: string };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString();

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
    // Five claims at once from each of ten listeners, who may hold five calls each.
    await s.settings({ maxClaimsPerListener: 5 });
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
    // A listener here may hold several calls at once, so that successive claims show the order.
    await s.settings({ maxClaimsPerListener: 10 });
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

  const claimed = async (s: Scenario, listener: Staffer): Promise<Claimed> =>
    (await s.claim(listener).expect(200)).body as Claimed;

  const getCall = (who: Staffer, id: string) =>
    api.http.get(`/api/calls/${id}`).set(bearer(who.token));

  const release = (who: Staffer, id: string, token: string) =>
    api.http.post(`/api/calls/${id}/release`).set(bearer(who.token)).send({ token });

  const extend = (who: Staffer, id: string, token: string) =>
    api.http.post(`/api/calls/${id}/claim/extend`).set(bearer(who.token)).send({ token });

  /** One requester and one approver, reused for every authorisation of a test. */
  const authorisers = async (s: Scenario) => {
    const [requester, approver] = await Promise.all([
      s.staff(['SECURITY_MANAGER']),
      s.staff(['HEAD_OF_OMU']),
    ]);
    return { requester, approver };
  };

  it('gives a call that needs training only to a listener who has it', async () => {
    const s = await Scenario.create(api);
    // A listener here may hold several calls at once, so that successive claims show the order.
    await s.settings({ maxClaimsPerListener: 10 });
    const people = await authorisers(s);
    const level2 = await s.prisoner({ alertCodes: ['P77'] });
    const abuser = await s.prisoner({ alertCodes: ['RDV'] });
    await s.authorise(level2, {}, people);
    await s.authorise(abuser, {}, people);
    await s.ingestAndTriage([s.call(level2), s.call(abuser)]);
    const [untrained, abuseTrained, protectionTrained] = await Promise.all([
      s.staff(['LISTENER'], { trainings: ['CHILD_SAFEGUARDING'] }),
      s.staff(['LISTENER'], { trainings: ['DOMESTIC_ABUSE'] }),
      s.staff(['LISTENER'], { trainings: ['PUBLIC_PROTECTION'] }),
    ]);

    await s.claim(untrained).expect(204);

    const abuseCall = await claimed(s, abuseTrained);
    expect(abuseCall.call).toMatchObject({
      prisonNumber: abuser,
      requiredTrainings: ['DOMESTIC_ABUSE'],
    });
    // The MAPPA level 2 call is still waiting, but not for someone without public-protection training.
    await s.claim(abuseTrained).expect(204);
    expect((await s.callsOf(level2)).map((c) => c.status)).toEqual(['PENDING']);

    const protectionCall = await claimed(s, protectionTrained);
    expect(protectionCall.call).toMatchObject({
      prisonNumber: level2,
      requiredTrainings: ['PUBLIC_PROTECTION'],
    });
    expect(protectionCall.call.priorityReasons).toContain('MAPPA level 2');
  });

  it('holds a Polish call for translation when no listener here speaks Polish', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ languages: ['pl'] });
    await s.authorise(prisoner);
    const english = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['en'] });
    // A Polish speaker at another establishment does not help this one.
    const elsewhere = await s.newEstablishment();
    await s.staff(['LISTENER'], { establishments: [elsewhere], languages: ['pl'] });

    await s.ingestAndTriage([s.call(prisoner, { language: 'pl' })]);

    const [row] = await s.callsOf(prisoner);
    expect(row.status).toBe('AWAITING_TRANSLATION');
    const call = (await getCall(english, row.id).expect(200)).body as CallBody;
    expect(call).toMatchObject({ status: 'AWAITING_TRANSLATION', language: 'pl' });
    expect(call.priorityReasons).toContain('language "pl" spoken by no listener here');
    await s.claim(english).expect(204);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['AWAITING_TRANSLATION']);
  });

  it('releases Polish calls waiting for translation when a Polish speaker joins, and holds them again when they leave', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ languages: ['pl'] });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner, { language: 'pl' })]);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['AWAITING_TRANSLATION']);

    const polish = await s.staff(['LISTENER'], { languages: ['pl'] });
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['PENDING']);

    await api.http
      .put(`/api/staff/${polish.username}`)
      .set(bearer(s.adminToken))
      .send({
        displayName: 'Moved on',
        roles: ['LISTENER'],
        establishments: [s.establishment],
        languages: [],
      })
      .expect(200);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['AWAITING_TRANSLATION']);
  });

  it('queues a Polish call when a Polish-speaking listener works here, for Polish speakers only', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    const [polish, english] = await Promise.all([
      s.staff(['LISTENER'], { languages: ['pl'] }),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS, languages: ['en', 'fr'] }),
    ]);

    await s.ingestAndTriage([s.call(prisoner, { language: 'pl' })]);

    const [row] = await s.callsOf(prisoner);
    expect(row.status).toBe('PENDING');
    await s.claim(english).expect(204);
    const got = await claimed(s, polish);
    expect(got.call).toMatchObject({ id: row.id, language: 'pl', status: 'CLAIMED' });
  });

  it('returns an expired lease to the queue and refuses the old token', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const [first, second] = await Promise.all([s.staff(['LISTENER']), s.staff(['LISTENER'])]);

    const old = await claimed(s, first);
    const id = old.call.id;
    // The lease comes from the database clock, so it is expired there.
    await api.db.query(
      `UPDATE calls SET claim_expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await release(first, id, old.claim.token).expect(409);
    await extend(first, id, old.claim.token).expect(409);

    expect(await api.app.get(QueueService).returnExpiredLeases()).toBeGreaterThanOrEqual(1);
    const afterSweep = (await getCall(second, id).expect(200)).body as CallBody;
    expect(afterSweep).toMatchObject({ status: 'PENDING', claim: null });

    const again = await claimed(s, second);
    expect(again.call.id).toBe(id);
    expect(again.call.claim).toMatchObject({ username: second.username });
    expect(again.claim.token).not.toBe(old.claim.token);
    // The first listener's token stays dead, even now the call is claimed again.
    await release(first, id, old.claim.token).expect(409);
    await extend(first, id, old.claim.token).expect(409);
    // Nor is the token of the current claim any use to anyone but its holder.
    await release(first, id, again.claim.token).expect(409);

    await release(second, id, again.claim.token).expect(200);
    const released = (await getCall(second, id).expect(200)).body as CallBody;
    expect(released).toMatchObject({ status: 'PENDING', claim: null });
    await release(second, id, again.claim.token).expect(409);
    expect((await claimed(s, first)).call.id).toBe(id);
  });

  it('extends a lease', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const listener = await s.staff(['LISTENER']);
    const got = await claimed(s, listener);
    const id = got.call.id;
    // Bring the end of the lease near, as if most of it had been used.
    await api.db.query(
      `UPDATE calls SET claim_expires_at = now() + interval '5 minutes' WHERE id = $1`,
      [id],
    );
    const before = new Date(
      ((await getCall(listener, id).expect(200)).body as CallBody).claim!.expiresAt,
    );

    const res = await extend(listener, id, got.claim.token).expect(200);

    const extended = new Date((res.body as { expiresAt: string }).expiresAt);
    expect(extended.getTime()).toBeGreaterThan(before.getTime());
    const leaseMs = DEFAULT_SETTINGS.leaseMinutes * 60_000;
    expect(Math.abs(extended.getTime() - (Date.now() + leaseMs))).toBeLessThan(60_000);
    const after = (await getCall(listener, id).expect(200)).body as CallBody;
    expect(new Date(after.claim!.expiresAt).getTime()).toBe(extended.getTime());
    // The extended lease is still the same claim: its token releases it.
    await release(listener, id, got.claim.token).expect(200);
  });

  it("keeps a listener out of another establishment's calls", async () => {
    const s = await Scenario.create(api);
    const other = await Scenario.create(api);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const [row] = await s.callsOf(prisoner);
    expect(row.status).toBe('PENDING');
    const outsider = await other.staff(['LISTENER'], { trainings: ALL_TRAININGS });

    await other.claim(outsider).expect(204);
    await api.http
      .post('/api/queue/claim')
      .set(bearer(outsider.token))
      .send({ establishment: s.establishment })
      .expect(403);
    await getCall(outsider, row.id).expect(403);

    const insider = await s.staff(['LISTENER']);
    const got = await claimed(s, insider);
    expect(got.call.id).toBe(row.id);
    await release(outsider, row.id, got.claim.token).expect(403);
    await extend(outsider, row.id, got.claim.token).expect(403);
  });

  it('gives the lead listener their own prisoner first unless something more urgent waits', async () => {
    const s = await Scenario.create(api);
    // Several calls held at once, and a call released comes straight back: the order is what shows.
    await s.settings({ maxClaimsPerListener: 10, releaseCooldownMinutes: 0 });
    const people = await authorisers(s);
    const [lead, colleague] = await Promise.all([s.staff(['LISTENER']), s.staff(['LISTENER'])]);
    const a = await s.prisoner();
    const b = await s.prisoner();
    const c = await s.prisoner();
    const victimNumber = randomMobile();
    await s.contact(c, {
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [victimNumber],
    });
    for (const p of [a, b, c]) await s.authorise(p, {}, people);
    // B's call is due 11 h after A's: within the lead's 12 h continuity credit.
    const creditHours = DEFAULT_SETTINGS.continuityCreditHours;
    await s.ingestAndTriage([
      s.call(a, { startedAt: hoursAgo(creditHours) }),
      s.call(b, { startedAt: hoursAgo(1) }),
    ]);
    // The lead is named after the call arrived: the waiting call is re-scored with it.
    await api.http
      .put(`/api/prisoners/${b}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Led',
        establishmentCode: s.establishment,
        leadListenerUsername: lead.username,
      })
      .expect(200);
    const [callA] = await s.callsOf(a);
    const [callB] = await s.callsOf(b);
    expect([callA.tier, callB.tier]).toEqual(['P3', 'P3']);

    const colleagues = await claimed(s, colleague);
    expect(colleagues.call.id).toBe(callA.id);
    const dueB = ((await getCall(colleague, callB.id).expect(200)).body as CallBody).dueAt!;
    const laterBy = new Date(dueB).getTime() - new Date(colleagues.call.dueAt!).getTime();
    expect(laterBy).toBeGreaterThan(0);
    expect(laterBy).toBeLessThan(creditHours * HOUR);
    await release(colleague, callA.id, colleagues.claim.token).expect(200);

    const leads = await claimed(s, lead);
    expect(leads.call.id).toBe(callB.id);
    await release(lead, callB.id, leads.claim.token).expect(200);

    // A victim-contact call (P1) of a prisoner the lead does not lead comes before their own P3 call.
    await s.ingestAndTriage([s.call(c, { dialledNumber: victimNumber, startedAt: hoursAgo(0.1) })]);
    const urgent = await claimed(s, lead);
    expect(urgent.call).toMatchObject({ prisonNumber: c, tier: 'P1' });
    expect(urgent.call.priorityReasons).toContain('victim contact');
    expect((await claimed(s, lead)).call.id).toBe(callB.id);
    expect((await claimed(s, colleague)).call.id).toBe(callA.id);
  });

  it('shows heads of OMU the pending calls in claim order', async () => {
    const s = await Scenario.create(api);
    // A listener here may hold several calls at once, so that successive claims show the order.
    await s.settings({ maxClaimsPerListener: 10 });
    const people = await authorisers(s);
    const ordinary = await s.prisoner();
    const level3 = await s.prisoner({ alertCodes: ['P88'] });
    const level2 = await s.prisoner({ alertCodes: ['P77'] });
    const random = await s.prisoner();
    for (const p of [ordinary, level3, level2]) await s.authorise(p, {}, people);
    await s.authorise(random, { type: 'RANDOM' }, people);
    await s.ingestAndTriage([
      s.call(ordinary, { startedAt: hoursAgo(2) }),
      s.call(random, { startedAt: hoursAgo(100) }),
      s.call(level2),
      s.call(ordinary, { startedAt: hoursAgo(30) }),
      s.call(level3),
    ]);
    const [head, listener] = await Promise.all([
      s.staff(['HEAD_OF_OMU']),
      s.staff(['LISTENER'], { trainings: ALL_TRAININGS }),
    ]);

    const res = await api.http
      .get(`/api/queue?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    const queue = res.body as { items: CallBody[]; total: number };
    expect(queue.total).toBe(5);
    expect(queue.items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5]);
    expect(queue.items.map((i) => [i.prisonNumber, i.tier])).toEqual([
      [level3, 'P1'],
      [level2, 'P2'],
      [ordinary, 'P3'],
      [ordinary, 'P3'],
      [random, 'P4'],
    ]);
    // Within a tier the older call (earlier due) comes first.
    expect(queue.items[2].startedAt < queue.items[3].startedAt).toBe(true);
    for (const item of queue.items) {
      const sla = DEFAULT_SETTINGS.slaHours[item.tier as keyof typeof DEFAULT_SETTINGS.slaHours];
      expect(new Date(item.dueAt!).getTime()).toBe(new Date(item.startedAt).getTime() + sla * HOUR);
      expect(item.priorityReasons.length).toBeGreaterThan(0);
      expect(item.status).toBe('PENDING');
    }
    expect(queue.items[0].priorityReasons).toContain('MAPPA level 3');
    expect(queue.items[1].priorityReasons).toContain('MAPPA level 2');
    expect(queue.items[4].priorityReasons).toContain('random monitoring only');

    const p1 = await api.http
      .get(`/api/queue?establishment=${s.establishment}&tier=P1`)
      .set(bearer(head.token))
      .expect(200);
    expect((p1.body as { items: CallBody[] }).items.map((i) => i.id)).toEqual([queue.items[0].id]);
    expect((p1.body as { total: number }).total).toBe(1);
    await api.http
      .get(`/api/queue?establishment=${s.establishment}&tier=P5`)
      .set(bearer(head.token))
      .expect(400);

    await api.http
      .get(`/api/queue?establishment=${s.establishment}`)
      .set(bearer(listener.token))
      .expect(403);

    // The order shown is the order in which a listener who may hear everything is given them.
    const claims: string[] = [];
    for (let i = 0; i < queue.items.length; i++) claims.push((await claimed(s, listener)).call.id);
    expect(claims).toEqual(queue.items.map((i) => i.id));
  });
});
