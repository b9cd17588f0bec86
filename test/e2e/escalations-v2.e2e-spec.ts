import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const HOUR_MS = 3_600_000;

interface Claimed {
  call: { id: string; tier: string; priorityReasons: string[] };
  claim: { token: string };
}

interface Raised {
  id: string;
  target: string;
  dueAt: string;
}

const killThreat = {
  target: 'ex-partner',
  type: 'KILL',
  imminence: 'ON_RELEASE',
  quote: 'you are dead',
};

describe('escalations v2: serious threats, reopening, POM changes and MAPPA outcomes', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A monitored prisoner with a POM, waiting calls and a fully trained listener. */
  async function world(profile: Record<string, unknown> = {}, calls = 2) {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const body = {
      firstName: 'Test',
      lastName: 'Prisoner',
      establishmentCode: s.establishment,
      pomUsername: pom.username,
      ...profile,
    };
    const prisoner = await s.prisoner(body);
    await s.authorise(prisoner);
    await s.ingestAndTriage(Array.from({ length: calls }, () => s.call(prisoner)));
    return { s, pom, head, security, listener, prisoner, body };
  }

  const claim = async (s: Scenario, listener: Staffer) =>
    (await s.claim(listener).expect(200)).body as Claimed;

  const submit = (callId: string, listener: Staffer, body: Record<string, unknown>) =>
    api.http.post(`/api/calls/${callId}/log`).set(bearer(listener.token)).send(body);

  const escalation = async (id: string, token: string) =>
    (await api.http.get(`/api/escalations/${id}`).set(bearer(token)).expect(200)).body as {
      id: string;
      status: string;
      dueAt: string;
      assignee: string | null;
      logIds: string[];
      outcome: string | null;
      rationale: string | null;
      mappaLevel: number | null;
      acknowledgedBy: string | null;
    };

  /** The fields a 400 names, each once. */
  const fields = (body: { details: { field: string }[] }) => [
    ...new Set(body.details.map((d) => d.field)),
  ];

  const audits = (entityId: string, action: string) =>
    api.db.query<{ actor: string; details: Record<string, unknown> }[]>(
      `SELECT username AS actor, details FROM audit_events WHERE entity_id = $1 AND action = $2`,
      [entityId, action],
    );

  it('a threat to kill logged at MEDIUM is refused naming concernLevel, with nothing written; at HIGH it reaches security in 1 hour and the POM in 4', async () => {
    const { s, listener, prisoner, security } = await world({}, 1);
    const claimed = await claim(s, listener);
    const medium = highLogWithThreat(claimed.claim.token, {
      concernLevel: 'MEDIUM',
      threats: [killThreat],
    });
    const refused = await submit(claimed.call.id, listener, medium).expect(400);
    expect(refused.body.details).toEqual([
      {
        field: 'concernLevel',
        message:
          'a threat to kill or a threat marked imminent must be logged at HIGH or IMMEDIATE, not MEDIUM',
      },
    ]);
    // Nothing written: no log, no escalation, and the call is still the listener's.
    const logs = await api.db.query<unknown[]>(`SELECT 1 FROM monitoring_logs WHERE call_id = $1`, [
      claimed.call.id,
    ]);
    expect(logs).toHaveLength(0);
    expect(
      await api.db.query(`SELECT 1 FROM escalations WHERE prison_number = $1`, [prisoner]),
    ).toHaveLength(0);
    expect((await s.callsOf(prisoner)).map((c) => c.status)).toEqual(['CLAIMED']);

    // An imminent threat of another kind is refused the same way.
    await submit(
      claimed.call.id,
      listener,
      highLogWithThreat(claimed.claim.token, {
        concernLevel: 'LOW',
        threats: [{ target: 'ex-partner', type: 'PHYSICAL', imminence: 'IMMEDIATE' }],
      }),
    ).expect(400);

    const before = Date.now();
    const res = await submit(
      claimed.call.id,
      listener,
      highLogWithThreat(claimed.claim.token, { threats: [killThreat] }),
    ).expect(201);
    const raised = res.body.escalations as Raised[];
    expect(raised.map((e) => e.target).sort()).toEqual(['IRMM', 'POM', 'SECURITY']);
    const due = (t: string) => new Date(raised.find((e) => e.target === t)!.dueAt).getTime();
    expect(due('SECURITY')).toBeGreaterThanOrEqual(before + HOUR_MS - 1000);
    expect(due('SECURITY')).toBeLessThanOrEqual(Date.now() + HOUR_MS + 1000);
    expect(due('POM')).toBeGreaterThanOrEqual(before + 4 * HOUR_MS - 1000);
    expect(due('POM')).toBeLessThanOrEqual(Date.now() + 4 * HOUR_MS + 1000);
    const sec = await escalation(raised.find((e) => e.target === 'SECURITY')!.id, security.token);
    expect(sec).toMatchObject({ status: 'OPEN', logIds: [res.body.log.id] });
  });

  it('a new HIGH log reopens the escalation the POM acknowledged: OPEN, due anew, the log attached, audited', async () => {
    const { s, pom, listener } = await world();
    const first = await claim(s, listener);
    const one = await submit(first.call.id, listener, highLogWithThreat(first.claim.token)).expect(
      201,
    );
    const pomId = (one.body.escalations as Raised[]).find((e) => e.target === 'POM')!.id;
    await api.http.post(`/api/escalations/${pomId}/acknowledge`).set(bearer(pom.token)).expect(200);
    const acknowledged = await escalation(pomId, pom.token);
    expect(acknowledged).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: pom.username });

    const second = await claim(s, listener);
    const two = await submit(
      second.call.id,
      listener,
      highLogWithThreat(second.claim.token),
    ).expect(201);
    const again = (two.body.escalations as Raised[]).find((e) => e.target === 'POM')!;
    expect(again.id).toBe(pomId);
    const reopened = await escalation(pomId, pom.token);
    expect(reopened).toMatchObject({ status: 'OPEN', acknowledgedBy: null });
    expect(reopened.logIds).toEqual([one.body.log.id, two.body.log.id]);
    // Due from the new log (1 working day from now), not kept from the first.
    expect(new Date(reopened.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(reopened.dueAt).toBe(again.dueAt);
    const audit = await audits(pomId, 'ESCALATION_REOPENED');
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({
      logIds: [two.body.log.id],
      acknowledgedBy: pom.username,
    });
  });

  it('a change of POM moves the prisoner’s open POM escalation to the new POM, audited; the IRMM item stays unassigned', async () => {
    const { s, pom, listener, prisoner, body } = await world();
    const claimed = await claim(s, listener);
    const res = await submit(
      claimed.call.id,
      listener,
      highLogWithThreat(claimed.claim.token),
    ).expect(201);
    const raised = res.body.escalations as Raised[];
    const pomId = raised.find((e) => e.target === 'POM')!.id;
    const irmmId = raised.find((e) => e.target === 'IRMM')!.id;
    expect((await escalation(pomId, pom.token)).assignee).toBe(pom.username);

    const newPom = await s.staff(['POM']);
    await api.http
      .put(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .send({ ...body, pomUsername: newPom.username })
      .expect(200);
    expect((await escalation(pomId, newPom.token)).assignee).toBe(newPom.username);
    expect((await escalation(irmmId, newPom.token)).assignee).toBeNull();
    const audit = await audits(pomId, 'ESCALATION_REASSIGNED');
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({
      prisonNumber: prisoner,
      from: pom.username,
      to: newPom.username,
    });

    // The new POM has it in their inbox and may act on it; the old one may not.
    const mine = await api.http
      .get('/api/escalations?mine=true&target=POM')
      .set(bearer(newPom.token))
      .expect(200);
    expect((mine.body.items as { id: string }[]).map((e) => e.id)).toEqual([pomId]);
    await api.http.post(`/api/escalations/${pomId}/acknowledge`).set(bearer(pom.token)).expect(403);
    await api.http
      .post(`/api/escalations/${pomId}/acknowledge`)
      .set(bearer(newPom.token))
      .expect(200);

    // The same POM again moves nothing.
    await api.http
      .put(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .send({ ...body, pomUsername: newPom.username })
      .expect(200);
    expect(await audits(pomId, 'ESCALATION_REASSIGNED')).toHaveLength(1);
  });

  it('the POM closes a MAPPA review with LEVEL_CHANGED: the level and mappaLevelReviewedAt follow, and the calls are re-scored', async () => {
    const { s, pom, head, listener, prisoner } = await world(
      { mappaCategory: 1, mappaLevel: 1 },
      3,
    );
    expect((await s.callsOf(prisoner)).map((c) => c.tier)).toEqual(['P3', 'P3', 'P3']);
    const claimed = await claim(s, listener);
    const res = await submit(claimed.call.id, listener, {
      token: claimed.claim.token,
      contact: { contactId: null, relationship: 'PARTNER', confidence: 'CONFIRMED' },
      themes: [{ code: 'CONTROLLING_BEHAVIOUR' }],
      threats: [],
      concernLevel: 'MEDIUM',
      summary: 'Told his partner who she may see and checked where she had been all week.',
      recordingQuality: 'GOOD',
    }).expect(201);
    const raised = res.body.escalations as Raised[];
    expect(raised.map((e) => e.target).sort()).toEqual(['MAPPA', 'POM']);
    const mappaId = raised.find((e) => e.target === 'MAPPA')!.id;

    // The prisoner's POM finds it among theirs.
    const mine = await api.http
      .get('/api/escalations?mine=true&target=MAPPA')
      .set(bearer(pom.token))
      .expect(200);
    expect((mine.body.items as { id: string }[]).map((e) => e.id)).toEqual([mappaId]);

    const close = (body: Record<string, unknown>, token = pom.token) =>
      api.http.post(`/api/escalations/${mappaId}/close`).set(bearer(token)).send(body);
    // LEVEL_CHANGED needs the new level; a MAPPA outcome needs a rationale; the prisoner's level is no change.
    const noLevel = await close({ outcome: 'LEVEL_CHANGED', rationale: 'Coercive control' }).expect(
      400,
    );
    expect(fields(noLevel.body)).toEqual(['mappaLevel']);
    const noWhy = await close({ outcome: 'LEVEL_CONFIRMED' }).expect(400);
    expect(fields(noWhy.body)).toEqual(['rationale']);
    const same = await close({ outcome: 'LEVEL_CHANGED', mappaLevel: 1, rationale: 'x' }).expect(
      400,
    );
    expect(fields(same.body)).toEqual(['mappaLevel']);
    // A MAPPA outcome closes only a MAPPA escalation.
    const pomId = raised.find((e) => e.target === 'POM')!.id;
    const wrong = await api.http
      .post(`/api/escalations/${pomId}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'LEVEL_CONFIRMED', rationale: 'x' })
      .expect(400);
    expect(fields(wrong.body)).toEqual(['outcome']);
    // Another POM may not close it.
    const otherPom = await s.staff(['POM']);
    await close(
      { outcome: 'LEVEL_CHANGED', mappaLevel: 2, rationale: 'Coercive control' },
      otherPom.token,
    ).expect(403);
    expect(
      (await s.callsOf(prisoner)).filter((c) => c.status === 'PENDING').map((c) => c.tier),
    ).toEqual(['P3', 'P3']);

    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const closed = await close({
      outcome: 'LEVEL_CHANGED',
      mappaLevel: 2,
      rationale: 'Coercive control of his partner throughout; the MAPPA meeting agreed level 2.',
    }).expect(200);
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      outcome: 'LEVEL_CHANGED',
      mappaLevel: 2,
      rationale: 'Coercive control of his partner throughout; the MAPPA meeting agreed level 2.',
      closedBy: pom.username,
    });
    expect(await escalation(mappaId, head.token)).toMatchObject({
      outcome: 'LEVEL_CHANGED',
      mappaLevel: 2,
    });
    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(head.token))
      .expect(200);
    expect(profile.body).toMatchObject({ mappaLevel: 2, mappaLevelReviewedAt: today });

    // The waiting calls moved from P3 to P2, for the new level.
    expect(
      (await s.callsOf(prisoner)).filter((c) => c.status === 'PENDING').map((c) => c.tier),
    ).toEqual(['P2', 'P2']);
    const next = await claim(s, listener);
    expect(next.call.tier).toBe('P2');
    expect(next.call.priorityReasons).toContain('MAPPA level 2');
    const audit = await audits(mappaId, 'ESCALATION_CLOSED');
    expect(audit[0].details).toMatchObject({ outcome: 'LEVEL_CHANGED', mappaLevel: 2 });
    expect(await audits(prisoner, 'PRISONER_MAPPA_REVIEWED')).toHaveLength(1);
  });

  it('the head of OMU closes with LEVEL_CONFIRMED: the level stays, the review date is set; SAFER_CUSTODY reaches the head and security, not the POM', async () => {
    const { s, pom, head, security, listener, prisoner } = await world(
      { mappaCategory: 1, mappaLevel: 1 },
      2,
    );
    const claimed = await claim(s, listener);
    const res = await submit(claimed.call.id, listener, {
      token: claimed.claim.token,
      contact: { contactId: null, relationship: 'PARENT', confidence: 'CONFIRMED' },
      themes: [{ code: 'SELF_HARM' }, { code: 'HARASSMENT_STALKING' }],
      threats: [],
      concernLevel: 'LOW',
      summary:
        'Told his mother he might hurt himself; keeps ringing a woman who asked him to stop.',
      recordingQuality: 'GOOD',
    }).expect(201);
    const raised = res.body.escalations as Raised[];
    expect(raised.map((e) => e.target).sort()).toEqual(['MAPPA', 'SAFER_CUSTODY']);
    const saferId = raised.find((e) => e.target === 'SAFER_CUSTODY')!.id;
    for (const who of [head, security]) {
      const mine = await api.http
        .get('/api/escalations?mine=true&target=SAFER_CUSTODY')
        .set(bearer(who.token))
        .expect(200);
      expect((mine.body.items as { id: string }[]).map((e) => e.id)).toEqual([saferId]);
    }
    await api.http
      .post(`/api/escalations/${saferId}/acknowledge`)
      .set(bearer(pom.token))
      .expect(403);
    await api.http
      .post(`/api/escalations/${saferId}/acknowledge`)
      .set(bearer(security.token))
      .expect(200);

    const mappaId = raised.find((e) => e.target === 'MAPPA')!.id;
    await api.http
      .post(`/api/escalations/${mappaId}/close`)
      .set(bearer(head.token))
      .send({
        outcome: 'LEVEL_CONFIRMED',
        rationale: 'Stalking is managed at level 1 with the police.',
      })
      .expect(200);
    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(head.token))
      .expect(200);
    expect(profile.body.mappaLevel).toBe(1);
    expect(profile.body.mappaLevelReviewedAt).toBe(
      new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' }),
    );
    expect(await escalation(mappaId, head.token)).toMatchObject({
      outcome: 'LEVEL_CONFIRMED',
      mappaLevel: null,
      rationale: 'Stalking is managed at level 1 with the police.',
    });
  });
});
