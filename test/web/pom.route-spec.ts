import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, randomMobile, Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

const lowReleaseLog = (token: string) => ({
  token,
  contact: { contactId: null, relationship: 'PARENT', confidence: 'PROBABLE' },
  themes: [{ code: 'RELEASE_PLANNING' }],
  concernLevel: 'LOW',
  summary: 'Talked with his mother about where he will live after release; calm throughout.',
  recordingQuality: 'GOOD',
});

interface Claimed {
  call: { id: string };
  claim: { token: string };
}

/** Every page of the workbench has one h1 and data-qa hooks on its main elements. */
function expectPage(html: string, ...qa: string[]) {
  expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  for (const hook of qa) expect(html).toContain(`data-qa="${hook}"`);
}

describe('web: the POM’s pages', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * A POM with two prisoners on their caseload (Aardvark and Zebra); Zebra is monitored, has a
   * victim and a child among his contacts, and a listener logged a HIGH concern with a threat
   * (escalated to the POM and the IRMM), and optionally a LOW release-planning log.
   */
  async function world(opts: { releaseLog?: boolean } = {}) {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({
      firstName: 'Zak',
      lastName: 'Zebra',
      pomUsername: pom.username,
      mappaCategory: 1,
      mappaLevel: 2,
      roshLevel: 'HIGH',
      alertCodes: ['RDV'],
    });
    const other = await s.prisoner({
      firstName: 'Al',
      lastName: 'Aardvark',
      pomUsername: pom.username,
    });
    await s.contact(prisoner, {
      name: 'Jane Victim',
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [randomMobile()],
    });
    await s.contact(prisoner, {
      name: 'Tom Child',
      relationship: 'CHILD',
      isChild: true,
      restriction: 'NO_CONTACT',
      phoneNumbers: [randomMobile()],
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);

    const logCall = async (body: (token: string) => Record<string, unknown>) => {
      const claimed = (await s.claim(listener).expect(200)).body as Claimed;
      const res = await api.http
        .post(`/api/calls/${claimed.call.id}/log`)
        .set(bearer(listener.token))
        .send(body(claimed.claim.token))
        .expect(201);
      return res.body as { log: { id: string }; escalations: { id: string; target: string }[] };
    };
    const high = await logCall(highLogWithThreat);
    const release = opts.releaseLog ? await logCall(lowReleaseLog) : null;
    const escalationId = high.escalations.find((e) => e.target === 'POM')!.id;
    // MAPPA level 2 and HIGH: the POM also has a COM escalation to share with the COM.
    const comEscalationId = high.escalations.find((e) => e.target === 'COM')!.id;

    const web = new WebClient(api);
    await web.signIn(pom);
    return {
      s,
      pom,
      prisoner,
      other,
      logId: high.log.id,
      releaseLogId: release?.log.id,
      escalationId,
      comEscalationId,
      web,
    };
  }

  it('My caseload: the prisoners with unread logs, escalations and risk, sortable by column', async () => {
    const { prisoner, other, web } = await world();
    const page = await web.get('/caseload');
    expect(page.status).toBe(200);
    expectPage(page.text, 'caseload-heading', 'caseload', 'caseload-table', 'sort-name');
    const html = page.text;
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--m">');
    expect(html).toContain(`href="/prisoners/${prisoner}"`);
    expect(html).toContain('Zebra, Zak');
    expect(html).toMatch(new RegExp(`data-qa="unread-${prisoner}"[^>]*>\\s*1\\s*<`));
    // The POM escalation, the IRMM item and (MAPPA level 2, HIGH) the COM escalation are open on him.
    expect(html).toMatch(new RegExp(`data-qa="escalations-${prisoner}">3<`));
    expect(html).toMatch(new RegExp(`data-qa="unread-${other}"[^>]*>\\s*0\\s*<`));
    expect(html).toContain('MAPPA level 2');
    expect(html).toContain('RoSH high');
    expect(html).toMatch(new RegExp(`data-qa="monitoring-${prisoner}"[\\s\\S]*?Monitored`));
    expect(html).toMatch(new RegExp(`data-qa="monitoring-${other}"[\\s\\S]*?Not monitored`));
    // By default the most urgent first: Zebra, with his escalations, before Aardvark.
    expect(html.indexOf('Zebra, Zak')).toBeLessThan(html.indexOf('Aardvark, Al'));
    expect(html).toContain('href="/caseload?sort=name&amp;order=asc"');

    const byName = await web.get('/caseload?sort=name');
    expect(byName.status).toBe(200);
    expect(byName.text.indexOf('Aardvark, Al')).toBeLessThan(byName.text.indexOf('Zebra, Zak'));
    expect(byName.text).toMatch(/aria-sort="ascending"[^>]*>\s*<a [^>]*data-qa="sort-name"/);
    // MoJ Frontend's sortable table sorts in the page by the same values the server sorts by.
    expect(byName.text).toContain('data-module="moj-sortable-table"');
    expect(byName.text).toContain('data-sort-value="aardvark, al"');
    // The header now offers the other direction.
    expect(byName.text).toContain('href="/caseload?sort=name&amp;order=desc"');
    const desc = await web.get('/caseload?sort=name&order=desc');
    expect(desc.text.indexOf('Zebra, Zak')).toBeLessThan(desc.text.indexOf('Aardvark, Al'));

    const byUnread = await web.get('/caseload?sort=unread&order=asc');
    expect(byUnread.text.indexOf('Aardvark, Al')).toBeLessThan(byUnread.text.indexOf('Zebra, Zak'));
    // An unknown sort keeps the default order rather than failing.
    expect((await web.get('/caseload?sort=nonsense')).status).toBe(200);
  });

  it('the prisoner page: profile, authorisations, contacts, escalations and a timeline the theme filter narrows', async () => {
    const { prisoner, logId, releaseLogId, web } = await world({ releaseLog: true });
    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.status).toBe(200);
    expectPage(
      page.text,
      'prisoner-heading',
      'profile',
      'authorisations',
      'contacts',
      'prisoner-escalations',
      'theme-filter',
      'timeline',
    );
    const html = page.text;
    expect(html).toContain(`Zak Zebra (${prisoner})`);
    expect(html).toMatch(/data-qa="profile"[\s\S]*MAPPA level 2[\s\S]*RoSH high[\s\S]*RDV/);
    expect(html).toMatch(/data-qa="authorisations"[\s\S]*Offence-related[\s\S]*Active/);
    expect(html).toMatch(/data-qa="contacts"[\s\S]*Jane Victim[\s\S]*Victim/);
    expect(html).toMatch(/Tom Child[\s\S]*Child[\s\S]*No contact/);
    // Listed by due time: which comes first depends on the weekday of the IRMM meeting.
    expect(html).toMatch(/data-qa="prisoner-escalations"[\s\S]*>POM</);
    expect(html).toMatch(/data-qa="prisoner-escalations"[\s\S]*>IRMM</);
    expect(html).toMatch(/<select class="govuk-select[^"]*" id="theme" name="theme"/);
    expect(html).toMatch(/<option value="THREATS_TO_HARM"\s*>\s*Threats to harm\s*</);
    expect(html).toMatch(/data-qa="timeline-count">2 logs/);
    expect(html.match(/data-qa="timeline-entry"/g)).toHaveLength(2);
    expect(html).toContain(`href="/logs/${logId}"`);
    expect(html).toContain(`href="/logs/${releaseLogId}"`);
    expect(html).toContain('<q>you will pay</q>');
    expect(html).toContain('knows her new address');
    expect(html).toContain('Ex-partner (confirmed)');
    expect(html).toContain('data-qa="unread-tag"');

    const filtered = await web.get(`/prisoners/${prisoner}?theme=RELEASE_PLANNING`);
    expect(filtered.status).toBe(200);
    expect(filtered.text).toMatch(
      /data-qa="timeline-count">1 log with the theme “release planning”/,
    );
    expect(filtered.text.match(/data-qa="timeline-entry"/g)).toHaveLength(1);
    expect(filtered.text).toContain(`href="/logs/${releaseLogId}"`);
    expect(filtered.text).not.toContain(`href="/logs/${logId}"`);
    expect(filtered.text).toMatch(/<option value="RELEASE_PLANNING" selected\s*>/);

    const none = await web.get(`/prisoners/${prisoner}?theme=EXTREMISM`);
    expect(none.text).toContain('data-qa="timeline-empty"');

    const audited: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'PRISONER_READ'`,
      [prisoner],
    );
    expect(audited[0].n).toBeGreaterThanOrEqual(3);
  });

  it('opening a log shows it with its versions and marks it read on the caseload', async () => {
    const { prisoner, logId, web } = await world();
    const log = await web.get(`/logs/${logId}`);
    expect(log.status).toBe(200);
    expectPage(log.text, 'log-heading', 'log-details', 'threats', 'versions', 'back-to-prisoner');
    expect(log.text).toContain(`Zebra, Zak (${prisoner})`);
    expect(log.text).toContain('knows her new address');
    expect(log.text).toContain('<q>you will pay</q>');
    expect(log.text).toContain('Version 1 (this one)');

    const caseload = await web.get('/caseload');
    expect(caseload.text).toMatch(new RegExp(`data-qa="unread-${prisoner}"[^>]*>\\s*0\\s*<`));
    const reads: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM log_reads WHERE log_id = $1`,
      [logId],
    );
    expect(reads[0].n).toBe(1);
    // The prisoner page no longer marks it unread.
    expect((await web.get(`/prisoners/${prisoner}`)).text).not.toContain('data-qa="unread-tag"');
  });

  it('the inbox lists the escalation; acknowledge, then close (Other needs a note), and it shows closed', async () => {
    const { prisoner, escalationId, comEscalationId, web } = await world();
    const inbox = await web.get('/escalations');
    expect(inbox.status).toBe(200);
    expectPage(inbox.text, 'escalations-heading', 'status-filter', 'inbox', 'escalations-table');
    expect(inbox.text).toContain(`href="/escalations/${escalationId}"`);
    expect(inbox.text).toContain(`href="/prisoners/${prisoner}"`);
    expect(inbox.text).toMatch(
      new RegExp(`data-qa="status-${escalationId}"[^>]*>\\s*<strong[^>]*>\\s*Open`),
    );
    // A POM sees only their own (the POM escalation and the COM one to share): no IRMM item, no toggle.
    expect(inbox.text.match(/data-qa="open-escalation-/g)).toHaveLength(2);
    expect(inbox.text).not.toContain('data-qa="view-toggle"');

    const detail = await web.get(`/escalations/${escalationId}`);
    expect(detail.status).toBe(200);
    expectPage(
      detail.text,
      'escalation-heading',
      'escalation-details',
      'escalation-logs',
      'acknowledge-form',
      'close-form',
    );
    expect(detail.text).toContain('knows her new address');
    expect(detail.text).toContain('Risk management plan updated');

    const ack = await web.post(`/escalations/${escalationId}/acknowledge`);
    expect(ack.status).toBe(302);
    expect(ack.headers.location).toBe(`/escalations/${escalationId}`);
    const acked = await web.get(ack.headers.location);
    expect(acked.text).toContain('Escalation acknowledged');
    expect(acked.text).toMatch(/data-qa="escalation-status"[\s\S]*?Acknowledged/);
    expect(acked.text).not.toContain('data-qa="acknowledge-form"');

    const noNote = await web.post(`/escalations/${escalationId}/close`, {
      outcome: 'OTHER',
      note: '  ',
    });
    expect(noNote.status).toBe(400);
    expect(errorSummaryLinks(noNote.text)).toEqual(['#note']);
    expect(noNote.text).toContain('Error: Escalation to POM');
    expect(noNote.text).toMatch(/value="OTHER" checked/);
    expect(noNote.text).toContain('id="note-error"');

    const noOutcome = await web.post(`/escalations/${escalationId}/close`, { note: 'typed' });
    expect(noOutcome.status).toBe(400);
    expect(errorSummaryLinks(noOutcome.text)).toEqual(['#outcome']);
    expect(noOutcome.text).toContain('typed</textarea>');

    const closed = await web.post(`/escalations/${escalationId}/close`, {
      outcome: 'OTHER',
      note: 'Spoke to the police public protection unit; her address is flagged.',
    });
    expect(closed.status).toBe(302);
    expect(closed.headers.location).toBe('/escalations');
    const after = await web.get('/escalations');
    expect(after.text).toContain('Escalation closed');
    expect(after.text).toMatch(
      new RegExp(`data-qa="status-${escalationId}"[^>]*>\\s*<strong[^>]*>\\s*Closed`),
    );
    const open = await web.get('/escalations?status=OPEN');
    expect(open.text).not.toContain(`href="/escalations/${escalationId}"`);
    expect(open.text).toContain(`href="/escalations/${comEscalationId}"`);
    await web.get(`/escalations/${comEscalationId}`);
    const comClosed = await web.post(`/escalations/${comEscalationId}/close`, {
      outcome: 'RISK_MANAGEMENT_PLAN_UPDATED',
    });
    expect(comClosed.status).toBe(302);
    const none = await web.get('/escalations?status=OPEN');
    expect(none.text).toContain('data-qa="inbox-empty"');
    const rows: { status: string; outcome: string; outcome_note: string }[] = await api.db.query(
      `SELECT status, outcome, outcome_note FROM escalations WHERE id = $1`,
      [escalationId],
    );
    expect(rows[0]).toMatchObject({ status: 'CLOSED', outcome: 'OTHER' });

    const page = await web.get(`/escalations/${escalationId}`);
    expect(page.text).toMatch(/data-qa="escalation-outcome"[\s\S]*?Other \(say what was done\)/);
    expect(page.text).not.toContain('data-qa="close-form"');
    // Closing twice is refused with the service's words, not a stack.
    const again = await web.post(`/escalations/${escalationId}/close`, {
      outcome: 'NO_FURTHER_ACTION',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('This escalation is already closed');
  });

  it('a head of OMU toggles between their escalations and all at the establishment', async () => {
    const { s, escalationId } = await world();
    const head = await s.staff(['HEAD_OF_OMU']);
    const web = new WebClient(api);
    await web.signIn(head);
    const mine = await web.get('/escalations');
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('data-qa="view-toggle"');
    // The POM escalation is assigned to the POM, so not "mine" for the head (the IRMM item is).
    expect(mine.text).not.toContain(`href="/escalations/${escalationId}"`);
    expect(mine.text).toContain('IRMM');
    const all = await web.get('/escalations?view=all');
    expect(all.text).toContain(`href="/escalations/${escalationId}"`);
    // POM, IRMM and COM (MAPPA level 2, HIGH).
    expect(all.text.match(/data-qa="open-escalation-/g)).toHaveLength(3);
    // A head may act on a POM escalation too.
    expect((await web.get(`/escalations/${escalationId}`)).text).toContain('data-qa="close-form"');
  });

  it('gives a listener the GOV.UK 403 page on the POM pages', async () => {
    const { s, prisoner, escalationId } = await world();
    const listener: Staffer = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    for (const path of ['/caseload', '/escalations', `/prisoners/${prisoner}`]) {
      const res = await web.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('You do not have permission to see this page');
    }
    const ack = await web.post(`/escalations/${escalationId}/acknowledge`);
    expect(ack.status).toBe(403);
  });

  it('gives a POM of another establishment 403 on the prisoner, log and escalation', async () => {
    const { prisoner, logId, escalationId } = await world();
    const elsewhere = await Scenario.create(api);
    const pom = await elsewhere.staff(['POM']);
    const web = new WebClient(api);
    await web.signIn(pom);
    for (const path of [
      `/prisoners/${prisoner}`,
      `/logs/${logId}`,
      `/escalations/${escalationId}`,
    ]) {
      const res = await web.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('You do not have permission to see this page');
      expect(res.text).toContain('You do not have access to establishment');
    }
    const close = await web.post(`/escalations/${escalationId}/close`, {
      outcome: 'NO_FURTHER_ACTION',
    });
    expect(close.status).toBe(403);
    // Every attempt is audited in the prison it was aimed at.
    const attempts = await api.db.query<{ path: string; establishment: string }[]>(
      `SELECT details->>'path' AS path, trim(establishment_code) AS establishment FROM audit_events
        WHERE action = 'ACCESS_REFUSED' AND username = $1 ORDER BY id`,
      [pom.username],
    );
    expect(attempts.map((a) => a.path)).toEqual([
      `/prisoners/${prisoner}`,
      `/logs/${logId}`,
      `/escalations/${escalationId}`,
      `/escalations/${escalationId}/close`,
    ]);
    const aimedAt = [...new Set(attempts.map((a) => a.establishment))];
    expect(aimedAt).toHaveLength(1);
    expect(aimedAt[0]).not.toBe(elsewhere.establishment);
    // Their own caseload is empty, not an error; their inbox does not show the other prison's.
    const caseload = await web.get('/caseload');
    expect(caseload.status).toBe(200);
    expect(caseload.text).toContain('You have no prisoners on your caseload');
    expect((await web.get('/escalations')).text).not.toContain(escalationId);
  });

  it('answers Page not found for a malformed prison number or id', async () => {
    const { web } = await world();
    for (const path of ['/prisoners/not-a-number', '/logs/123', '/escalations/xyz']) {
      const res = await web.get(path);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
    }
  });
});
