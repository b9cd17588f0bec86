import { Client } from 'pg';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

interface Claimed {
  call: {
    id: string;
    prisonNumber: string;
    dialledNumber: string;
    tier: string;
    priorityReasons: string[];
  };
  claim: { token: string };
}

const highLogWithThreat = (token: string) => ({
  token,
  contact: { contactId: null, relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
  themes: [{ code: 'THREATS_TO_HARM', note: 'threatened to find her on release' }],
  threats: [
    {
      target: 'ex-partner',
      type: 'PHYSICAL',
      imminence: 'ON_RELEASE',
      quote: 'you will pay when I get out',
    },
  ],
  concernLevel: 'HIGH',
  summary:
    'Spoke to his ex-partner; said she would pay when he is released and that he knows where she lives.',
  recordingQuality: 'GOOD',
});

describe('monitoring logs and escalations', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A monitored prisoner with a POM, some waiting calls, and a fully trained listener. */
  async function world(profile: Record<string, unknown> = {}, calls = 3) {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ pomUsername: pom.username, ...profile });
    await s.authorise(prisoner);
    await s.ingestAndTriage(Array.from({ length: calls }, () => s.call(prisoner)));
    return { s, pom, head, listener, prisoner };
  }

  const claim = async (s: Scenario, listener: Staffer) =>
    (await s.claim(listener).expect(200)).body as Claimed;
  const tiers = async (s: Scenario, prisoner: string) =>
    (await s.callsOf(prisoner)).filter((c) => c.status === 'PENDING').map((c) => c.tier);

  it('a HIGH log with a threat reaches the POM and the IRMM, lifts the prisoner to P1, and falls back when closed', async () => {
    const { s, pom, head, listener, prisoner } = await world();
    expect(await tiers(s, prisoner)).toEqual(['P3', 'P3', 'P3']);

    const first = await claim(s, listener);
    const res = await api.http
      .post(`/api/calls/${first.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(first.claim.token))
      .expect(201);
    const escalations = res.body.escalations as { id: string; target: string; dueAt: string }[];
    expect(escalations.map((e) => e.target).sort()).toEqual(['IRMM', 'POM']);
    expect(res.body.log).toMatchObject({ concernLevel: 'HIGH', version: 1, callId: first.call.id });
    const call = await api.http
      .get(`/api/calls/${first.call.id}`)
      .set(bearer(head.token))
      .expect(200);
    expect(call.body).toMatchObject({
      status: 'LOGGED',
      claim: null,
      log: { id: res.body.log.id, concernLevel: 'HIGH' },
    });
    expect(call.body.log.handlingSeconds).toBeGreaterThanOrEqual(0);

    const mine = await api.http
      .get('/api/escalations?mine=true')
      .set(bearer(pom.token))
      .expect(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({
      prisonNumber: prisoner,
      target: 'POM',
      status: 'OPEN',
      assignee: pom.username,
      overdue: false,
    });
    expect(mine.body.items[0].logIds).toEqual([res.body.log.id]);

    // The other waiting calls of this prisoner are now P1, with the reason.
    expect(await tiers(s, prisoner)).toEqual(['P1', 'P1']);
    const second = await claim(s, listener);
    expect(second.call.priorityReasons).toContain('open high-concern escalation on this prisoner');

    // A second HIGH log attaches to the same open escalations, and leaves the waiting call it
    // does not move as it was (no new row version: xmin is the transaction that wrote the row).
    const rowVersions = () =>
      api.db.query<{ id: string; xmin: string }[]>(
        `SELECT id, xmin::text FROM calls WHERE prison_number = $1 AND status = 'PENDING' ORDER BY id`,
        [prisoner],
      );
    const before = await rowVersions();
    expect(before).toHaveLength(1);
    // Nor does it lock it: the facts it would re-score on have not changed (an open high-concern
    // escalation already lifts the prisoner's calls, and the number stays unidentified, so no
    // contact changes). Held here by another transaction, the waiting call would make a re-score
    // wait out lock_timeout and answer 503.
    // Its own connection, not the api's pool (the suite also runs with a pool of one).
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    let again: Awaited<ReturnType<typeof api.http.get>>;
    try {
      await holder.query(`SELECT id FROM calls WHERE id = $1 FOR UPDATE`, [before[0].id]);
      again = await api.http
        .post(`/api/calls/${second.call.id}/log`)
        .set(bearer(listener.token))
        .send({
          ...highLogWithThreat(second.claim.token),
          contact: { contactId: null, relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' },
        });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(again.status).toBe(201);
    const pomEscalation = escalations.find((e) => e.target === 'POM')!;
    expect(
      again.body.escalations.find((e: { target: string }) => e.target === 'POM'),
    ).toMatchObject({ id: pomEscalation.id, created: false });
    const detail = await api.http
      .get(`/api/escalations/${pomEscalation.id}`)
      .set(bearer(pom.token))
      .expect(200);
    expect(detail.body.logIds).toHaveLength(2);
    expect(await rowVersions()).toEqual(before);

    // The POM acknowledges and closes theirs; the IRMM item still holds the prisoner at P1.
    await api.http
      .post(`/api/escalations/${pomEscalation.id}/acknowledge`)
      .set(bearer(pom.token))
      .expect(200);
    await api.http
      .post(`/api/escalations/${pomEscalation.id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'RISK_MANAGEMENT_PLAN_UPDATED' })
      .expect(200);
    expect(await tiers(s, prisoner)).toEqual(['P1']);
    const irmm = escalations.find((e) => e.target === 'IRMM')!;
    await api.http
      .post(`/api/escalations/${irmm.id}/close`)
      .set(bearer(head.token))
      .send({ outcome: 'POLICE_INFORMED' })
      .expect(200);
    expect(await tiers(s, prisoner)).toEqual(['P3']);
  });

  it('CHILD_SAFEGUARDING adds a MAPPA escalation for a MAPPA level 1 prisoner but not for level 2', async () => {
    const childLog = (token: string) => ({
      token,
      contact: { relationship: 'CHILD', confidence: 'PROBABLE', isChild: true },
      themes: [{ code: 'CHILD_SAFEGUARDING' }],
      concernLevel: 'MEDIUM',
      summary:
        'Asked a girl of about twelve to meet his friend outside school; she did not know who he was.',
      recordingQuality: 'GOOD',
    });
    for (const [code, expected] of [
      // Child safeguarding reaches the COM too, whatever the level.
      ['P66', ['COM', 'IRMM', 'MAPPA', 'POM']],
      ['P77', ['COM', 'IRMM', 'POM']],
    ] as const) {
      const { s, listener } = await world({ alertCodes: [code] }, 1);
      const c = await claim(s, listener);
      const res = await api.http
        .post(`/api/calls/${c.call.id}/log`)
        .set(bearer(listener.token))
        .send(childLog(c.claim.token))
        .expect(201);
      expect(res.body.escalations.map((e: { target: string }) => e.target).sort()).toEqual(
        expected,
      );
    }
  });

  it('a stale token gets 409 and writes nothing', async () => {
    const { s, listener, prisoner } = await world({}, 1);
    const c = await claim(s, listener);
    await api.db.query(
      `UPDATE calls SET claim_expires_at = now() - interval '1 second' WHERE id = $1`,
      [c.call.id],
    );
    await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(c.claim.token))
      .expect(409);
    const logs: unknown[] = await api.db.query(`SELECT 1 FROM monitoring_logs WHERE call_id = $1`, [
      c.call.id,
    ]);
    const escalations: unknown[] = await api.db.query(
      `SELECT 1 FROM escalations WHERE prison_number = $1`,
      [prisoner],
    );
    const contacts: unknown[] = await api.db.query(
      `SELECT 1 FROM contacts WHERE prison_number = $1`,
      [prisoner],
    );
    expect([logs.length, escalations.length, contacts.length]).toEqual([0, 0, 0]);
    const [call] = (await s.callsOf(prisoner)) as { status: string }[];
    expect(call.status).toBe('CLAIMED');
  });

  it('an unknown number identified as a partner becomes a contact and the next call to it is scored as such', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ alertCodes: ['RDV'] });
    await s.authorise(prisoner);
    const number = randomMobile();
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: number }),
      s.call(prisoner, { dialledNumber: number }),
    ]);

    const first = await claim(s, listener);
    expect(first.call.tier).toBe('P2');
    expect(first.call.priorityReasons.join(' ')).toContain('not on the contact list');
    await api.http
      .post(`/api/calls/${first.call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: first.claim.token,
        contact: { relationship: 'PARTNER', confidence: 'CONFIRMED', name: 'Dana' },
        themes: [{ code: 'RELEASE_PLANNING' }],
        concernLevel: 'LOW',
        summary: 'Talked with his new partner Dana about housing on release and visits next month.',
        recordingQuality: 'GOOD',
      })
      .expect(201);

    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(listener.token))
      .expect(200);
    expect(profile.body.contacts).toEqual([
      expect.objectContaining({
        name: 'Dana',
        relationship: 'PARTNER',
        phoneNumbers: [toE164(number)],
        source: 'LISTENER',
        sourceUsername: listener.username,
      }),
    ]);

    // The call already waiting is re-scored; a new call to the number is scored as a partner call.
    await s.ingestAndTriage([s.call(prisoner, { dialledNumber: number })]);
    const waiting: { priority_reasons: string[]; contact_id: string | null }[] = await api.db.query(
      `SELECT priority_reasons, contact_id FROM calls WHERE prison_number = $1 AND status = 'PENDING'`,
      [prisoner],
    );
    expect(waiting).toHaveLength(2);
    for (const call of waiting) {
      expect(call.contact_id).toBe(profile.body.contacts[0].id);
      expect(call.priority_reasons).toContain(
        'partner contact of a domestic-abuse prisoner (+6 h)',
      );
      expect(call.priority_reasons.join(' ')).not.toContain('not on the contact list');
    }
  });

  it("a number identified in a log re-scores only the calls to that number, not the rest of the prisoner's queue", async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ alertCodes: ['RDV'] });
    await s.authorise(prisoner);
    const partner = randomMobile();
    const other = randomMobile();
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: partner }),
      s.call(prisoner, { dialledNumber: partner }),
      s.call(prisoner, { dialledNumber: other }),
    ]);
    const otherCall = async () =>
      (
        await api.db.query<{ id: string; xmin: string; contact_id: string | null }[]>(
          `SELECT id, xmin::text, contact_id FROM calls WHERE prison_number = $1 AND dialled_number = $2`,
          [prisoner, toE164(other)],
        )
      )[0];
    const before = await otherCall();

    // The call to the other number is held by another transaction: the claim skips it, and a
    // re-score of all the prisoner's calls would wait for it until lock_timeout (503).
    // Its own connection, not the api's pool (the suite also runs with a pool of one).
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    let logged: Awaited<ReturnType<typeof api.http.get>>;
    try {
      await holder.query(`SELECT id FROM calls WHERE id = $1 FOR UPDATE`, [before.id]);
      const first = await claim(s, listener);
      expect(first.call.dialledNumber).toBe(toE164(partner));
      logged = await api.http
        .post(`/api/calls/${first.call.id}/log`)
        .set(bearer(listener.token))
        .send({
          token: first.claim.token,
          contact: { relationship: 'PARTNER', confidence: 'CONFIRMED', name: 'Dana' },
          themes: [{ code: 'NO_CONCERNS' }],
          concernLevel: 'NONE',
          summary: 'Talked with his new partner Dana about visits; nothing of concern was said.',
          recordingQuality: 'GOOD',
        });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(logged.status).toBe(201);

    // The other call to the partner's number was re-scored as a partner call...
    const partnerCalls: { priority_reasons: string[]; contact_id: string | null }[] =
      await api.db.query(
        `SELECT priority_reasons, contact_id FROM calls
         WHERE prison_number = $1 AND dialled_number = $2 AND status = 'PENDING'`,
        [prisoner, toE164(partner)],
      );
    expect(partnerCalls).toHaveLength(1);
    expect(partnerCalls[0].contact_id).toEqual(expect.any(String));
    expect(partnerCalls[0].priority_reasons).toContain(
      'partner contact of a domestic-abuse prisoner (+6 h)',
    );
    // ...and the call to the other number was neither waited for nor rewritten.
    expect(await otherCall()).toEqual(before);
  });

  it('a later log that only attaches to an open escalation does not wait for another attaching one', async () => {
    const { s, listener } = await world({}, 2);
    const intelligence = (token: string) => ({
      token,
      contact: { relationship: 'FRIEND', confidence: 'PROBABLE' },
      themes: [{ code: 'SECURITY_INTELLIGENCE', note: 'talk of a parcel' }],
      concernLevel: 'MEDIUM',
      summary: 'Talked with a friend about a parcel coming in next week; no names were given.',
      recordingQuality: 'GOOD',
    });
    const first = await claim(s, listener);
    const opened = await api.http
      .post(`/api/calls/${first.call.id}/log`)
      .set(bearer(listener.token))
      .send(intelligence(first.claim.token))
      .expect(201);
    const security = (opened.body.escalations as { id: string; target: string }[]).find(
      (e) => e.target === 'SECURITY',
    )!;
    expect(security).toMatchObject({ created: true });

    // Another listener's log attaching to it holds a share lock until it commits; held here by a
    // transaction of its own (its own connection: the suite also runs with a pool of one). Taken
    // for update, the escalation made this log wait out lock_timeout and answer 503.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    let second: Awaited<ReturnType<typeof api.http.get>>;
    try {
      await holder.query(`SELECT id FROM escalations WHERE id = $1 FOR SHARE`, [security.id]);
      const next = await claim(s, listener);
      second = await api.http
        .post(`/api/calls/${next.call.id}/log`)
        .set(bearer(listener.token))
        .send(intelligence(next.claim.token));
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(second.status).toBe(201);
    expect(
      second.body.escalations.find((e: { target: string }) => e.target === 'SECURITY'),
    ).toMatchObject({ id: security.id, created: false });
    const rows: { log_id: string }[] = await api.db.query(
      `SELECT log_id FROM escalation_logs WHERE escalation_id = $1`,
      [security.id],
    );
    expect(rows.map((r) => r.log_id).sort()).toEqual(
      [opened.body.log.id, second.body.log.id].sort(),
    );
  });

  it('UNIDENTIFIED raises a task to identify the number for security staff', async () => {
    const { s, listener, prisoner } = await world({}, 1);
    const security = await s.staff(['SECURITY_MANAGER']);
    const c = await claim(s, listener);
    await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: c.claim.token,
        contact: { relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' },
        themes: [{ code: 'SECURITY_INTELLIGENCE' }],
        concernLevel: 'LOW',
        summary: 'A man who would not give his name talked about a parcel and a visit on Saturday.',
        recordingQuality: 'POOR',
      })
      .expect(201);
    const tasks = await api.http
      .get(`/api/identification-tasks?establishment=${s.establishment}`)
      .set(bearer(security.token))
      .expect(200);
    expect(tasks.body.items).toEqual([
      expect.objectContaining({
        prisonNumber: prisoner,
        dialledNumber: c.call.dialledNumber,
        status: 'OPEN',
      }),
    ]);
  });

  it('a POM of another establishment sees none of it', async () => {
    const { s, listener } = await world({}, 1);
    const c = await claim(s, listener);
    const res = await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(c.claim.token))
      .expect(201);
    const elsewhere = await Scenario.create(api);
    const otherPom = await elsewhere.staff(['POM']);
    const mine = await api.http
      .get('/api/escalations?mine=true')
      .set(bearer(otherPom.token))
      .expect(200);
    expect(mine.body.items).toEqual([]);
    const all = await api.http.get('/api/escalations').set(bearer(otherPom.token)).expect(200);
    expect(all.body.items).toEqual([]);
    await api.http
      .get(`/api/escalations/${res.body.escalations[0].id}`)
      .set(bearer(otherPom.token))
      .expect(403);
    await api.http.get(`/api/logs/${res.body.log.id}`).set(bearer(otherPom.token)).expect(403);
    await api.http
      .get(`/api/prisoners/${c.call.prisonNumber}/logs`)
      .set(bearer(otherPom.token))
      .expect(403);
  });

  it('closing with OTHER and no note is a 400 naming the field', async () => {
    const { s, pom, listener } = await world({}, 1);
    const c = await claim(s, listener);
    const res = await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(c.claim.token))
      .expect(201);
    const pomEscalation = (res.body.escalations as { id: string; target: string }[]).find(
      (e) => e.target === 'POM',
    )!;
    const bad = await api.http
      .post(`/api/escalations/${pomEscalation.id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'OTHER' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('note');
    const still = await api.http
      .get(`/api/escalations/${pomEscalation.id}`)
      .set(bearer(pom.token))
      .expect(200);
    expect(still.body.status).toBe('OPEN');
    await api.http
      .post(`/api/escalations/${pomEscalation.id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'OTHER', note: 'Discussed with the community offender manager.' })
      .expect(200);
  });

  it('log validation names each failing field and writes nothing', async () => {
    const { s, listener } = await world({}, 1);
    const c = await claim(s, listener);
    const res = await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: c.claim.token,
        contact: { relationship: 'UNKNOWN', confidence: 'PROBABLE' },
        themes: [{ code: 'NO_CONCERNS' }],
        threats: [{ target: 'her', type: 'PHYSICAL' }],
        concernLevel: 'HIGH',
        summary: 'conversation with a lady',
        recordingQuality: 'GOOD',
      })
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'contact.confidence',
      'summary',
      'themes',
      'threats',
    ]);
    const missing = await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send({ token: c.claim.token })
      .expect(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['contact', 'themes', 'concernLevel', 'summary', 'recordingQuality']),
    );
    const logs: unknown[] = await api.db.query(`SELECT 1 FROM monitoring_logs WHERE call_id = $1`, [
      c.call.id,
    ]);
    expect(logs).toHaveLength(0);
  });

  it('the POM reads logs (audited, counted on the caseload), an amendment keeps both versions, and the IRMM and MAPPA get what they need', async () => {
    const { s, pom, head, listener, prisoner } = await world({ alertCodes: ['P66', 'RDV'] }, 1);
    const c = await claim(s, listener);
    const logged = await api.http
      .post(`/api/calls/${c.call.id}/log`)
      .set(bearer(listener.token))
      .send({
        ...highLogWithThreat(c.claim.token),
        themes: [{ code: 'THREATS_TO_HARM' }, { code: 'VICTIM_CONTACT' }],
      })
      .expect(201);
    const logId = logged.body.log.id as string;

    const before = await api.http.get('/api/poms/me/caseload').set(bearer(pom.token)).expect(200);
    expect(before.body.items).toEqual([
      expect.objectContaining({
        prisonNumber: prisoner,
        unreadLogs: 1,
        // POM, IRMM, MAPPA and, for the victim contact, COM.
        openEscalations: 4,
        monitoringStatus: 'ACTIVE',
      }),
    ]);
    await api.http.get(`/api/logs/${logId}`).set(bearer(pom.token)).expect(200);
    const after = await api.http.get('/api/poms/me/caseload').set(bearer(pom.token)).expect(200);
    expect(after.body.items[0].unreadLogs).toBe(0);
    const audit: { action: string }[] = await api.db.query(
      `SELECT action FROM audit_events WHERE entity_type = 'log' AND entity_id = $1 AND username = $2`,
      [logId, pom.username],
    );
    expect(audit.map((a) => a.action)).toContain('LOG_READ');

    const amended = await api.http
      .post(`/api/logs/${logId}/amendments`)
      .set(bearer(listener.token))
      .send({
        ...highLogWithThreat('unused'),
        token: undefined,
        reason: 'Quote corrected after listening again',
        summary:
          'Corrected: said she would pay when he is out, and named the street where she lives now.',
      })
      .expect(201);
    expect(amended.body.log).toMatchObject({
      version: 2,
      supersedesId: logId,
      amendmentReason: 'Quote corrected after listening again',
    });
    const versions = await api.http
      .get(`/api/logs/${amended.body.log.id}`)
      .set(bearer(head.token))
      .expect(200);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const history = await api.http
      .get(`/api/prisoners/${prisoner}/logs?theme=THREATS_TO_HARM`)
      .set(bearer(pom.token))
      .expect(200);
    expect(history.body.items.map((l: { id: string }) => l.id)).toEqual([amended.body.log.id]);

    const agenda = await api.http
      .get(`/api/irmm/agenda?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(agenda.body.items).toHaveLength(1);
    // The agenda shows the current version of each log: the amendment dropped VICTIM_CONTACT.
    expect(agenda.body.items[0]).toMatchObject({
      prisonNumber: prisoner,
      threatsSinceLastMeeting: 1,
    });
    expect(agenda.body.items[0].themesSinceLastMeeting).toEqual({ THREATS_TO_HARM: 1 });
    const irmmItem = agenda.body.items[0].escalations[0] as { id: string };
    const meeting = await api.http
      .post('/api/irmm/meetings')
      .set(bearer(head.token))
      .send({
        establishmentCode: s.establishment,
        heldAt: new Date().toISOString(),
        attendees: ['Head of OMU', 'Security', 'POM'],
        items: [
          {
            escalationId: irmmItem.id,
            decision: 'CLOSE',
            outcome: 'RISK_MANAGEMENT_PLAN_UPDATED',
            note: 'Victim liaison informed',
          },
        ],
      })
      .expect(201);
    expect(meeting.body).toMatchObject({ closed: 1, carriedForward: 0 });
    const afterMeeting = await api.http
      .get(`/api/irmm/agenda?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(afterMeeting.body.items).toEqual([]);

    const mappa = (logged.body.escalations as { id: string; target: string }[]).find(
      (e) => e.target === 'MAPPA',
    )!;
    const referral = await api.http
      .get(`/api/escalations/${mappa.id}/mappa-referral`)
      .set(bearer(head.token))
      .expect(200);
    expect(referral.body.prisoner).toMatchObject({
      prisonNumber: prisoner,
      mappaCategory: 2,
      mappaLevel: 1,
    });
    expect(referral.body.threats).toEqual([
      expect.objectContaining({ target: 'ex-partner', quote: 'you will pay when I get out' }),
    ]);
    expect(referral.body.text).toContain('you will pay when I get out');
    expect(referral.body.monitoringHistory).toHaveLength(1);
  });
});
