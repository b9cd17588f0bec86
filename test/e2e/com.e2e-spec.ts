// Why this file is long: the COM's record (with a table of refused inputs), its escalation, the
// shares and the risk flag are one flow, set up the same way; split, each part would repeat it.
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const DAY_MS = 86_400_000;

const COM = {
  name: 'Sam Okafor',
  email: 'sam.okafor@justice.gov.uk',
  phone: '0113 496 0000',
  probationDeliveryUnit: 'Leeds North PDU',
  allocatedOn: '2026-11-02',
};

interface Raised {
  id: string;
  target: string;
  dueAt: string;
  assignee: string | null;
}

/** A day `days` from now, `YYYY-MM-DD`. */
const dayFromNow = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

describe('the community offender manager (COM): record, escalation, shares, risk flag', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** The fields a 400 names, each once. */
  const fields = (body: ErrorBody) => [...new Set(body.details.map((d) => d.field))];

  const put = (s: Scenario, prisonNumber: string, body: Record<string, unknown>) =>
    api.http
      .put(`/api/prisoners/${prisonNumber}`)
      .set(bearer(s.adminToken))
      .send({
        firstName: 'Test',
        lastName: 'Prisoner',
        establishmentCode: s.establishment,
        ...body,
      });

  const profile = async (prisonNumber: string, token: string) =>
    (await api.http.get(`/api/prisoners/${prisonNumber}`).set(bearer(token)).expect(200)).body as {
      com: Record<string, unknown> | null;
      handoverDate: string | null;
      riskFlags: { type: string; detail: string }[];
    };

  /** A monitored prisoner with a POM, waiting calls and a fully trained listener. */
  async function world(profileBody: Record<string, unknown>, calls = 1) {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ pomUsername: pom.username, ...profileBody });
    await s.authorise(prisoner);
    await s.ingestAndTriage(Array.from({ length: calls }, () => s.call(prisoner)));
    return { s, pom, listener, prisoner };
  }

  async function logOne(s: Scenario, listener: Staffer, body: (token: string) => object) {
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    const res = await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listener.token))
      .send(body(claimed.claim.token))
      .expect(201);
    return res.body as { log: { id: string }; escalations: Raised[] };
  }

  describe('the record', () => {
    it('PUT takes the COM and handover date, GET returns them; left out keeps them, null clears', async () => {
      const s = await Scenario.create(api);
      const head = await s.staff(['HEAD_OF_OMU']);
      const prisoner = await s.prisoner();
      expect(await profile(prisoner, head.token)).toMatchObject({ com: null, handoverDate: null });

      const res = await put(s, prisoner, { com: COM, handoverDate: '2027-01-15' }).expect(200);
      expect(res.body).toMatchObject({ com: COM, handoverDate: '2027-01-15' });
      expect(await profile(prisoner, head.token)).toMatchObject({
        com: COM,
        handoverDate: '2027-01-15',
      });

      // The feed re-sends the prisoner without COM fields: they stay.
      await put(s, prisoner, { roshLevel: 'HIGH' }).expect(200);
      expect(await profile(prisoner, head.token)).toMatchObject({
        com: COM,
        handoverDate: '2027-01-15',
      });

      // Only name and email: the optional ones are null.
      await put(s, prisoner, {
        com: { name: 'Ali Khan', email: 'ali.khan@justice.gov.uk' },
      }).expect(200);
      expect((await profile(prisoner, head.token)).com).toEqual({
        name: 'Ali Khan',
        email: 'ali.khan@justice.gov.uk',
        phone: null,
        probationDeliveryUnit: null,
        allocatedOn: null,
      });

      await put(s, prisoner, { com: null, handoverDate: null }).expect(200);
      expect(await profile(prisoner, head.token)).toMatchObject({ com: null, handoverDate: null });
      const audits = await api.db.query<{ details: Record<string, unknown> }[]>(
        `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'PRISONER_UPDATED'
         ORDER BY id`,
        [prisoner],
      );
      expect(audits.map((a) => a.details.com)).toEqual([
        { name: 'Sam Okafor' },
        undefined,
        { name: 'Ali Khan' },
        null,
      ]);
    });

    it.each([
      ['a bad email', { com: { ...COM, email: 'sam.okafor' } }, 'com.email'],
      ['no email', { com: { name: 'Sam Okafor' } }, 'com.email'],
      ['an empty name', { com: { ...COM, name: '' } }, 'com.name'],
      ['a NUL in the name', { com: { ...COM, name: 'Sam\u0000Okafor' } }, 'com.name'],
      [
        'a NUL in the unit',
        { com: { ...COM, probationDeliveryUnit: 'PDU\u0000' } },
        'com.probationDeliveryUnit',
      ],
      ['30 February', { handoverDate: '2027-02-30' }, 'handoverDate'],
      ['a handover in 2101', { handoverDate: '2101-01-01' }, 'handoverDate'],
      ['a handover that is a time', { handoverDate: '2027-01-15T10:00:00Z' }, 'handoverDate'],
      ['allocated in 1899', { com: { ...COM, allocatedOn: '1899-12-31' } }, 'com.allocatedOn'],
      ['a phone of letters', { com: { ...COM, phone: 'call me' } }, 'com.phone'],
      ['a COM that is text', { com: 'Sam Okafor' }, 'com'],
      ['an unknown COM field', { com: { ...COM, grade: 'PO' } }, 'com.grade'],
    ])('refuses %s with a 400 naming the field, and writes nothing', async (_name, body, field) => {
      const s = await Scenario.create(api);
      const prisoner = await s.prisoner({ com: COM, handoverDate: '2027-01-15' });
      const res = await put(s, prisoner, body).expect(400);
      expect(fields(res.body as ErrorBody)).toEqual([field]);
      const head = await s.staff(['HEAD_OF_OMU']);
      expect(await profile(prisoner, head.token)).toMatchObject({
        com: COM,
        handoverDate: '2027-01-15',
      });
    });

    it('PUT /api/prisoners/{prisonNumber}/com: the prisoner’s POM or a head of OMU, no one else', async () => {
      const s = await Scenario.create(api);
      const pom = await s.staff(['POM']);
      const otherPom = await s.staff(['POM']);
      const listener = await s.staff(['LISTENER']);
      const head = await s.staff(['HEAD_OF_OMU']);
      const prisoner = await s.prisoner({ pomUsername: pom.username });
      const recordCom = (token: string, body: Record<string, unknown>) =>
        api.http.put(`/api/prisoners/${prisoner}/com`).set(bearer(token)).send(body);

      await recordCom(otherPom.token, { com: COM }).expect(403);
      await recordCom(listener.token, { com: COM }).expect(403);
      const bad = await recordCom(pom.token, { com: { ...COM, email: 'nope' } }).expect(400);
      expect(fields(bad.body as ErrorBody)).toEqual(['com.email']);

      const done = await recordCom(pom.token, { com: COM, handoverDate: '2027-01-15' }).expect(200);
      expect(done.body).toEqual({ prisonNumber: prisoner, com: COM, handoverDate: '2027-01-15' });
      // Left out: the COM stays while the head moves the handover.
      await recordCom(head.token, { handoverDate: '2027-02-01' }).expect(200);
      expect(await profile(prisoner, head.token)).toMatchObject({
        com: COM,
        handoverDate: '2027-02-01',
      });
      const audits = await api.db.query<{ username: string; details: Record<string, unknown> }[]>(
        `SELECT username, details FROM audit_events
         WHERE entity_id = $1 AND action = 'PRISONER_COM_RECORDED' ORDER BY id`,
        [prisoner],
      );
      expect(audits).toEqual([
        {
          username: pom.username,
          details: { com: { name: 'Sam Okafor' }, handoverDate: '2027-01-15' },
        },
        { username: head.username, details: { handoverDate: '2027-02-01' } },
      ]);

      // Another establishment's head of OMU sees nothing of the prisoner.
      const elsewhere = await s.staff(['HEAD_OF_OMU'], {
        establishments: [await s.newEstablishment()],
      });
      await recordCom(elsewhere.token, { com: null }).expect(403);
    });
  });

  describe('the COM escalation', () => {
    it('a MAPPA level 2 prisoner’s HIGH log raises a COM escalation for their POM, due in 2 working days', async () => {
      const { s, pom, listener } = await world({ mappaCategory: 1, mappaLevel: 2 });
      const before = Date.now();
      const logged = await logOne(s, listener, (t) => highLogWithThreat(t));
      const com = logged.escalations.find((e) => e.target === 'COM');
      expect(com).toBeDefined();
      expect(com!.assignee).toBe(pom.username);
      // Two working days: at least two days on, at most six (a weekend and two bank holidays).
      const due = new Date(com!.dueAt).getTime();
      expect(due).toBeGreaterThanOrEqual(before + 2 * DAY_MS - 1000);
      expect(due).toBeLessThanOrEqual(Date.now() + 6 * DAY_MS);

      const mine = await api.http
        .get('/api/escalations?mine=true&target=COM')
        .set(bearer(pom.token))
        .expect(200);
      expect((mine.body as { items: { id: string }[] }).items.map((e) => e.id)).toEqual([com!.id]);
      const one = await api.http
        .get(`/api/escalations/${com!.id}`)
        .set(bearer(pom.token))
        .expect(200);
      expect(one.body).toMatchObject({
        target: 'COM',
        status: 'OPEN',
        logIds: [logged.log.id],
        shares: [],
      });
      expect(one.body.reason).toContain('high concern at MAPPA level 2: share with the COM');
    });

    it('a MAPPA level 1 prisoner’s LOW log raises no COM escalation (near miss); a release-planning theme does', async () => {
      const { s, listener } = await world({ mappaCategory: 1, mappaLevel: 1 }, 2);
      const low = (token: string, theme: string) => ({
        ...highLogWithThreat(token),
        concernLevel: 'LOW',
        themes: [{ code: theme }],
        threats: [],
        summary:
          'Talked about his plans and money for the canteen; nothing said of anyone at risk.',
      });
      const quiet = await logOne(s, listener, (t) => low(t, 'SUBSTANCE_MISUSE'));
      expect(quiet.escalations).toEqual([]);
      const planning = await logOne(s, listener, (t) => low(t, 'RELEASE_PLANNING'));
      expect(planning.escalations.map((e) => e.target)).toEqual(['COM']);
    });

    it('a new POM takes the open COM escalation with the case', async () => {
      const { s, pom, listener, prisoner } = await world({ mappaCategory: 1, mappaLevel: 3 });
      const logged = await logOne(s, listener, (t) => highLogWithThreat(t));
      const com = logged.escalations.find((e) => e.target === 'COM')!;
      const next = await s.staff(['POM']);
      await put(s, prisoner, {
        mappaCategory: 1,
        mappaLevel: 3,
        pomUsername: next.username,
      }).expect(200);
      const moved = await api.http
        .get(`/api/escalations/${com.id}`)
        .set(bearer(next.token))
        .expect(200);
      expect(moved.body.assignee).toBe(next.username);
      const audit = await api.db.query<{ details: Record<string, unknown> }[]>(
        `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'ESCALATION_REASSIGNED'`,
        [com.id],
      );
      expect(audit.map((a) => a.details)).toEqual([
        { prisonNumber: prisoner, target: 'COM', from: pom.username, to: next.username },
      ]);
    });

    it('a COM escalation still open after its due time flags LOG_UNACKNOWLEDGED; acknowledged, it goes', async () => {
      const { s, pom, listener, prisoner } = await world({ mappaCategory: 1, mappaLevel: 2 });
      const head = await s.staff(['HEAD_OF_OMU']);
      const logged = await logOne(s, listener, (t) => highLogWithThreat(t));
      const com = logged.escalations.find((e) => e.target === 'COM')!;
      const unacknowledged = async () =>
        (
          (
            await api.http
              .get(`/api/risk-flags?establishment=${s.establishment}&type=LOG_UNACKNOWLEDGED`)
              .set(bearer(head.token))
              .expect(200)
          ).body as { items: { subject: string; prisonNumber: string; detail: string }[] }
        ).items.filter((f) => f.prisonNumber === prisoner);
      // Not yet due: no flag for it.
      expect((await unacknowledged()).map((f) => f.subject)).not.toContain(com.id);

      await api.db.query(
        `UPDATE escalations SET created_at = now() - interval '5 days', due_at = now() - interval '1 day'
         WHERE id = $1`,
        [com.id],
      );
      const flagged = (await unacknowledged()).find((f) => f.subject === com.id);
      expect(flagged?.detail).toMatch(
        new RegExp(
          `^High concern for the COM escalated to ${pom.username} on \\d{4}-\\d{2}-\\d{2}, not acknowledged`,
        ),
      );

      await api.http
        .post(`/api/escalations/${com.id}/acknowledge`)
        .set(bearer(pom.token))
        .expect(200);
      expect((await unacknowledged()).map((f) => f.subject)).not.toContain(com.id);
    });
  });

  describe('shares with the COM', () => {
    it('the POM records what was shared: 201, listed on the escalation, audited as a disclosure', async () => {
      const { s, pom, listener, prisoner } = await world({
        mappaCategory: 1,
        mappaLevel: 2,
        com: COM,
      });
      const logged = await logOne(s, listener, (t) => highLogWithThreat(t));
      const com = logged.escalations.find((e) => e.target === 'COM')!;
      const pomEscalation = logged.escalations.find((e) => e.target === 'POM')!;
      const share = (id: string, token: string, body: Record<string, unknown>) =>
        api.http.post(`/api/escalations/${id}/shares`).set(bearer(token)).send(body);
      const sharedAt = new Date(Date.now() - 3_600_000).toISOString();
      const body = {
        channel: 'PHONE',
        sharedAt,
        summary: 'Told the COM of the threat to his ex-partner heard on a call yesterday.',
        response: 'COM will raise it at the MAPPA meeting and update the licence conditions.',
      };

      // Refused: another POM, a listener; a POM escalation; bad input naming the field.
      const otherPom = await s.staff(['POM']);
      await share(com.id, otherPom.token, body).expect(403);
      await share(com.id, listener.token, body).expect(403);
      const notCom = await share(pomEscalation.id, pom.token, body).expect(409);
      expect((notCom.body as ErrorBody).message).toContain('Only a COM escalation');
      for (const [bad, field] of [
        [{ ...body, channel: 'LETTER' }, 'channel'],
        [{ ...body, sharedAt: '2026-02-30T10:00:00Z' }, 'sharedAt'],
        [{ ...body, sharedAt: new Date(Date.now() + DAY_MS).toISOString() }, 'sharedAt'],
        [{ ...body, summary: '' }, 'summary'],
        [{ ...body, summary: 'x\u0000' }, 'summary'],
        [{ ...body, response: null }, 'response'],
      ] as const) {
        const res = await share(com.id, pom.token, bad).expect(400);
        expect(fields(res.body as ErrorBody)).toEqual([field]);
      }
      expect(
        await api.db.query(`SELECT 1 FROM escalation_shares WHERE escalation_id = $1`, [com.id]),
      ).toHaveLength(0);

      const created = await share(com.id, pom.token, body).expect(201);
      expect(created.body).toMatchObject({
        escalationId: com.id,
        channel: 'PHONE',
        sharedAt,
        summary: body.summary,
        response: body.response,
        sharedBy: pom.username,
      });
      const head = await s.staff(['HEAD_OF_OMU']);
      const second = await share(com.id, head.token, {
        channel: 'MAPPA_MEETING',
        sharedAt: new Date().toISOString(),
        summary: 'Discussed at the level 2 meeting with the COM and police.',
      }).expect(201);
      expect(second.body.response).toBeNull();

      const listed = await api.http
        .get(`/api/escalations/${com.id}`)
        .set(bearer(pom.token))
        .expect(200);
      expect(
        (listed.body as { shares: { id: string; channel: string; sharedBy: string }[] }).shares.map(
          (x) => [x.id, x.channel, x.sharedBy],
        ),
      ).toEqual([
        [created.body.id, 'PHONE', pom.username],
        [second.body.id, 'MAPPA_MEETING', head.username],
      ]);

      const audits = await api.db.query<{ username: string; details: Record<string, unknown> }[]>(
        `SELECT username, details FROM audit_events WHERE entity_id = $1 AND action = 'ESCALATION_SHARED'
         ORDER BY id`,
        [com.id],
      );
      expect(audits).toHaveLength(2);
      expect(audits[0]).toEqual({
        username: pom.username,
        details: {
          prisonNumber: prisoner,
          target: 'COM',
          disclosure: 'INTERCEPTED_MATERIAL',
          shareId: created.body.id,
          channel: 'PHONE',
          sharedAt,
          to: { name: COM.name, email: COM.email },
          logIds: [logged.log.id],
          withResponse: true,
        },
      });
      // Reading the shares is audited too: they retell what was heard.
      const reads = await api.db.query<{ username: string; details: { shareIds: string[] } }[]>(
        `SELECT username, details FROM audit_events WHERE entity_id = $1 AND action = 'ESCALATION_SHARES_READ'`,
        [com.id],
      );
      expect(reads.map((r) => [r.username, r.details.shareIds])).toEqual([
        [pom.username, [created.body.id, second.body.id]],
      ]);
      // What was shared is on the share, never copied into the audit trail.
      expect(JSON.stringify(audits)).not.toContain('ex-partner');

      // A closed COM escalation still takes a share: the disclosure happened.
      await api.http
        .post(`/api/escalations/${com.id}/close`)
        .set(bearer(pom.token))
        .send({ outcome: 'RISK_MANAGEMENT_PLAN_UPDATED' })
        .expect(200);
      await share(com.id, pom.token, { ...body, channel: 'EMAIL' }).expect(201);
    });
  });

  describe('COM_NOT_ALLOCATED', () => {
    const flagsOf = async (s: Scenario, token: string) =>
      (
        (
          await api.http
            .get(`/api/risk-flags?establishment=${s.establishment}&type=COM_NOT_ALLOCATED`)
            .set(bearer(token))
            .expect(200)
        ).body as { items: { prisonNumber: string; detail: string }[] }
      ).items;

    it('appears with no COM and release within 8.5 months, disappears once a COM is recorded', async () => {
      const s = await Scenario.create(api);
      const head = await s.staff(['HEAD_OF_OMU']);
      const soon = await s.prisoner({ earliestReleaseDate: dayFromNow(100) });
      const byKeyDate = await s.prisoner({ keyDates: [{ type: 'RELEASE', date: dayFromNow(30) }] });
      const later = await s.prisoner({ earliestReleaseDate: dayFromNow(300) });
      const withCom = await s.prisoner({ earliestReleaseDate: dayFromNow(50), com: COM });
      const released = await s.prisoner({ earliestReleaseDate: dayFromNow(-3) });
      const unknown = await s.prisoner();

      const flags = await flagsOf(s, head.token);
      expect(flags.map((f) => f.prisonNumber).sort()).toEqual([soon, byKeyDate].sort());
      expect(flags.find((f) => f.prisonNumber === soon)!.detail).toMatch(
        /^No community offender manager recorded, release in (99|100|101) days \(\d{4}-\d{2}-\d{2}\); one is due 8.5 months before release$/,
      );
      expect((await profile(soon, head.token)).riskFlags.map((f) => f.type)).toContain(
        'COM_NOT_ALLOCATED',
      );
      for (const p of [later, withCom, released, unknown])
        expect(flags.map((f) => f.prisonNumber)).not.toContain(p);

      await api.http
        .put(`/api/prisoners/${soon}/com`)
        .set(bearer(head.token))
        .send({ com: COM })
        .expect(200);
      expect((await flagsOf(s, head.token)).map((f) => f.prisonNumber)).toEqual([byKeyDate]);

      // A longer window takes in the later release; clearing the COM brings the flag back.
      await s.settings({ comAllocationMonths: 12 });
      await api.http
        .put(`/api/prisoners/${soon}/com`)
        .set(bearer(head.token))
        .send({ com: null })
        .expect(200);
      expect((await flagsOf(s, head.token)).map((f) => f.prisonNumber).sort()).toEqual(
        [soon, byKeyDate, later].sort(),
      );
      const bad = await api.http
        .put(`/api/establishments/${s.establishment}/settings`)
        .set(bearer(s.adminToken))
        .send({ comAllocationMonths: 'soon' })
        .expect(400);
      expect(fields(bad.body as ErrorBody)).toEqual(['comAllocationMonths']);
    });
  });
});
