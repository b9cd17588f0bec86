import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** Every page of the workbench has one h1. */
const oneHeading = (html: string) => expect(html.match(/<h1[ >]/g)).toHaveLength(1);

describe('web: the community offender manager (COM) panel and "Share with the COM"', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A MAPPA level 2 prisoner with a POM, and a COM escalation and a POM one raised by a head. */
  async function world() {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const otherPom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner({
      firstName: 'Dan',
      lastName: 'Level',
      pomUsername: pom.username,
      mappaCategory: 1,
      mappaLevel: 2,
    });
    const raise = async (target: string, reason: string) =>
      (
        await api.http
          .post(`/api/prisoners/${prisoner}/escalations`)
          .set(bearer(head.token))
          .send({ target, reason })
          .expect(201)
      ).body as { id: string; assignee: string | null };
    const com = await raise('COM', 'Release planning heard: share with the COM');
    const pomEscalation = await raise('POM', 'A worry about his mood');
    return { s, pom, otherPom, head, security, prisoner, comId: com.id, pomId: pomEscalation.id };
  }

  it('the prisoner page says "No COM recorded"; the POM records one, with errors named on bad input', async () => {
    const { pom, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(pom);

    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-qa="com-panel"');
    expect(page.text).toContain('No COM recorded.');
    expect(page.text).toContain(`href="/prisoners/${prisoner}/com"`);

    const form = await web.get(`/prisoners/${prisoner}/com`);
    expect(form.status).toBe(200);
    oneHeading(form.text);
    expect(form.text).toContain('data-qa="com-form"');
    expect(form.text).toContain('name="_csrf"');

    // A bad email, a name missing, 30 February: each named, in page order, as typed.
    const bad = await web.post(`/prisoners/${prisoner}/com`, {
      name: '',
      email: 'sam.okafor',
      phone: '',
      probationDeliveryUnit: 'Leeds North PDU',
      'allocatedOn-day': '',
      'allocatedOn-month': '',
      'allocatedOn-year': '',
      'handoverDate-day': '30',
      'handoverDate-month': '2',
      'handoverDate-year': '2027',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#name', '#email', '#handoverDate-day']);
    expect(bad.text).toContain('Enter the COM’s name');
    expect(bad.text).toContain(
      'Enter the COM’s email address in the correct format, like name@justice.gov.uk',
    );
    expect(bad.text).toContain('The handover date must be a real date');
    expect(bad.text).toContain('value="Leeds North PDU"');
    expect(bad.text).toContain('value="sam.okafor"');

    // A NUL character is refused as the API refuses it, not stored.
    const nul = await web.post(`/prisoners/${prisoner}/com`, {
      name: 'Sam\u0000Okafor',
      email: 'sam.okafor@justice.gov.uk',
    });
    expect(nul.status).toBe(400);
    expect(errorSummaryLinks(nul.text)).toEqual(['#name']);

    // Without the CSRF token: refused.
    const forged = await web.post(
      `/prisoners/${prisoner}/com`,
      { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk' },
      { csrf: false },
    );
    expect(forged.status).toBe(403);

    const saved = await web.post(`/prisoners/${prisoner}/com`, {
      name: 'Sam Okafor',
      email: 'sam.okafor@justice.gov.uk',
      phone: '0113 496 0000',
      probationDeliveryUnit: 'Leeds North PDU',
      'allocatedOn-day': '2',
      'allocatedOn-month': '11',
      'allocatedOn-year': '2026',
      'handoverDate-day': '15',
      'handoverDate-month': '1',
      'handoverDate-year': '2027',
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe(`/prisoners/${prisoner}`);
    const after = await web.get(`/prisoners/${prisoner}`);
    expect(after.text).toContain('Community offender manager recorded');
    expect(after.text).toContain(`is recorded as the COM of Level, Dan (${prisoner}).`);
    expect(after.text).not.toContain('No COM recorded.');
    for (const shown of [
      'Sam Okafor',
      'sam.okafor@justice.gov.uk',
      'Leeds North PDU',
      '0113 496 0000',
    ])
      expect(after.text).toContain(shown);
    expect(after.text).toContain('15 January 2027');
    const [row] = await api.db.query<{ com_name: string; handover_date: string }[]>(
      `SELECT com_name, handover_date::text FROM prisoners WHERE prison_number = $1`,
      [prisoner],
    );
    expect(row).toEqual({ com_name: 'Sam Okafor', handover_date: '2027-01-15' });

    // The form opens as recorded; clearing every COM field records that there is none.
    const again = await web.get(`/prisoners/${prisoner}/com`);
    expect(again.text).toContain('value="Sam Okafor"');
    const cleared = await web.post(`/prisoners/${prisoner}/com`, {
      name: '',
      email: '',
      'handoverDate-day': '15',
      'handoverDate-month': '1',
      'handoverDate-year': '2027',
    });
    expect(cleared.status).toBe(302);
    const none = await web.get(`/prisoners/${prisoner}`);
    expect(none.text).toContain('No COM recorded. Handover 15 January 2027.');
  });

  it('another POM and a security manager see the panel without the form, and may not post it', async () => {
    const { otherPom, security, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(otherPom);
    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.text).toContain('No COM recorded.');
    expect(page.text).not.toContain(`href="/prisoners/${prisoner}/com"`);
    expect((await web.get(`/prisoners/${prisoner}/com`)).status).toBe(403);
    const posted = await web.post(`/prisoners/${prisoner}/com`, {
      name: 'Sam Okafor',
      email: 'sam.okafor@justice.gov.uk',
    });
    expect(posted.status).toBe(403);

    const sm = new WebClient(api);
    await sm.signIn(security);
    const smPage = await sm.get(`/prisoners/${prisoner}`);
    expect(smPage.status).toBe(200);
    expect(smPage.text).not.toContain(`href="/prisoners/${prisoner}/com"`);
    expect((await sm.get(`/prisoners/${prisoner}/com`)).status).toBe(403);
  });

  it('the POM shares a COM escalation with the COM: errors named, then recorded and listed', async () => {
    const { pom, comId, pomId } = await world();
    const web = new WebClient(api);
    await web.signIn(pom);

    const page = await web.get(`/escalations/${comId}`);
    expect(page.status).toBe(200);
    oneHeading(page.text);
    expect(page.text).toContain('data-qa="share-form"');
    expect(page.text).toContain('Nothing has been shared with the COM yet.');
    for (const channel of ['Email', 'Phone call', 'Meeting', 'MAPPA meeting'])
      expect(page.text).toContain(channel);
    // A POM escalation has no share form.
    const pomPage = await web.get(`/escalations/${pomId}`);
    expect(pomPage.text).not.toContain('data-qa="share-form"');
    expect(pomPage.text).not.toContain('data-qa="shares"');

    await web.get(`/escalations/${comId}`);
    const bad = await web.post(`/escalations/${comId}/shares`, {
      'sharedOn-day': '31',
      'sharedOn-month': '4',
      'sharedOn-year': '2026',
      time: '10:00',
      summary: '   ',
      response: 'typed response',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#channel', '#sharedOn-day', '#summary']);
    expect(bad.text).toContain('Select how it was shared');
    expect(bad.text).toContain('The date shared must be a real date');
    expect(bad.text).toContain('Enter what was shared with the COM');
    expect(bad.text).toContain('typed response</textarea>');

    const tomorrow = new Date(Date.now() + 2 * 86_400_000);
    const future = await web.post(`/escalations/${comId}/shares`, {
      channel: 'EMAIL',
      'sharedOn-day': String(tomorrow.getUTCDate()),
      'sharedOn-month': String(tomorrow.getUTCMonth() + 1),
      'sharedOn-year': String(tomorrow.getUTCFullYear()),
      time: '10:00',
      summary: 'Sent the COM the log of the call.',
    });
    expect(future.status).toBe(400);
    expect(errorSummaryLinks(future.text)).toEqual(['#sharedOn-day']);
    expect(future.text).toContain('The date and time shared must be now or in the past');

    const shared = await web.post(`/escalations/${comId}/shares`, {
      channel: 'MAPPA_MEETING',
      'sharedOn-day': '1',
      'sharedOn-month': '12',
      'sharedOn-year': '2026',
      time: '14:30',
      summary: 'Told the level 2 meeting of his plan to live near the victim.',
      response: 'The COM will add an exclusion zone to the licence.',
    });
    expect(shared.status).toBe(302);
    expect(shared.headers.location).toBe(`/escalations/${comId}#shares`);
    const after = await web.get(`/escalations/${comId}`);
    expect(after.text).toContain('Shared with the COM');
    expect(after.text).toContain('MAPPA meeting on');
    expect(after.text).toContain('Told the level 2 meeting of his plan to live near the victim.');
    expect(after.text).toContain(
      'The COM’s response: The COM will add an exclusion zone to the licence.',
    );
    expect(after.text).not.toContain('Nothing has been shared with the COM yet.');

    const rows = await api.db.query<{ channel: string; shared_at: Date; shared_by: string }[]>(
      `SELECT channel, shared_at, shared_by FROM escalation_shares WHERE escalation_id = $1`,
      [comId],
    );
    // 14:30 on 1 December in London is 14:30 UTC (GMT).
    expect(rows).toEqual([
      {
        channel: 'MAPPA_MEETING',
        shared_at: new Date('2026-12-01T14:30:00Z'),
        shared_by: pom.username,
      },
    ]);
    const audits = await api.db.query<{ details: { disclosure: string } }[]>(
      `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'ESCALATION_SHARED'`,
      [comId],
    );
    expect(audits.map((a) => a.details.disclosure)).toEqual(['INTERCEPTED_MATERIAL']);
  });

  it('another POM sees the shares but has no form, and a post from them is refused', async () => {
    const { otherPom, comId } = await world();
    const web = new WebClient(api);
    await web.signIn(otherPom);
    const page = await web.get(`/escalations/${comId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-qa="shares"');
    expect(page.text).not.toContain('data-qa="share-form"');
    const posted = await web.post(`/escalations/${comId}/shares`, {
      channel: 'EMAIL',
      'sharedOn-day': '1',
      'sharedOn-month': '12',
      'sharedOn-year': '2026',
      time: '09:00',
      summary: 'Sent the log.',
    });
    expect(posted.status).toBe(403);
    expect(
      await api.db.query(`SELECT 1 FROM escalation_shares WHERE escalation_id = $1`, [comId]),
    ).toHaveLength(0);
  });
});
