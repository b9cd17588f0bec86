import { startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

const JUSTIFICATION =
  'Threats to a former partner were heard last month; less intrusive measures have failed.';

const inFuture = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
};

/** What the `data-qa` element's opening tag is followed by, up to the next tag. */
const qaText = (html: string, qa: string) =>
  new RegExp(`data-qa="${qa}"[^>]*>\\s*([^<]*?)\\s*<`).exec(html)?.[1];

describe('web: the security manager’s pages', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** An establishment with a prisoner, two security managers, a head of OMU and a listener. */
  async function world() {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner();
    const security = await s.staff(['SECURITY_MANAGER']);
    const otherSecurity = await s.staff(['SECURITY_MANAGER']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listener = await s.staff(['LISTENER']);
    return { s, prisoner, security, otherSecurity, head, listener };
  }

  async function signedIn(staffer: Staffer) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  /** Requests monitoring through the form; returns the new authorisation's id. */
  async function requestThroughForm(web: WebClient, prisoner: string) {
    await web.get(`/prisoners/${prisoner}/authorisations/new`);
    const res = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      type: 'INTELLIGENCE_LED',
      grounds: ['CRIME', 'PUBLIC_SAFETY'],
      channels: ['PHONE'],
      justification: JUSTIFICATION,
      lookbackDays: '7',
    });
    expect(res.status).toBe(302);
    const id = /^\/authorisations\/([0-9a-f-]{36})$/.exec(res.headers.location)?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  it('the request form explains each type and ground, and keeps what was typed on an error', async () => {
    const { prisoner, security } = await world();
    const web = await signedIn(security);
    const form = await web.get(`/prisoners/${prisoner}/authorisations/new`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<h1[^>]*>\s*Request monitoring of communications/);
    expect(form.text).toContain('data-qa="request-form"');
    for (const type of [
      'Mandatory',
      'Offence-related',
      'Intelligence-led',
      'Ad hoc',
      'Random sample',
    ]) {
      expect(form.text).toContain(type);
    }
    expect(form.text).toContain('Intelligence suggests');
    expect(form.text).toContain('Prison Rule 35A(4)');
    expect(form.text).toContain('The prevention, detection, investigation or prosecution of crime');
    expect(form.text).toContain('govuk-character-count');
    expect(form.text).toContain('id="startsAt-day"');

    const res = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      type: 'INTELLIGENCE_LED',
      grounds: ['CRIME'],
      channels: ['PHONE'],
      justification: '',
      'endsAt-day': '31',
      'endsAt-month': '2',
      'endsAt-year': '2030',
      lookbackDays: '0',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Request monitoring');
    expect(errorSummaryLinks(res.text)).toEqual(['#justification', '#endsAt-day']);
    expect(res.text).toContain(
      'Set out why monitoring is necessary and proportionate, in at least 20 characters',
    );
    expect(res.text).toContain('The end date must be a real date');
    expect(res.text).toMatch(/value="INTELLIGENCE_LED" checked/);
    expect(res.text).toMatch(/value="CRIME" checked/);
    expect(res.text).not.toMatch(/value="PUBLIC_SAFETY" checked/);
    expect(res.text).toMatch(/id="endsAt-day"[^>]*value="31"/);
  });

  it('request, the requester cannot approve, another approves, review and end', async () => {
    const { prisoner, security, otherSecurity, head } = await world();
    const requester = await signedIn(security);
    const id = await requestThroughForm(requester, prisoner);

    const requested = await requester.get(`/authorisations/${id}`);
    expect(requested.status).toBe(200);
    expect(requested.text).toContain('data-qa="flash"');
    expect(requested.text).toMatch(
      new RegExp(`Monitoring of Prisoner\\d+, Test \\(${prisoner}\\) is requested`),
    );
    expect(requested.text).toMatch(/<h1[^>]*>\s*Intelligence-led monitoring of/);
    expect(qaText(requested.text, 'status')).toBe('Requested');
    expect(requested.text).toContain('You requested this; another authoriser must approve it');
    expect(requested.text).not.toContain('data-qa="approve-form"');
    expect(requested.text).toContain(JUSTIFICATION);

    // Posting anyway: the service refuses and the GOV.UK forbidden page says why.
    const refused = await requester.post(`/authorisations/${id}/approve`, { note: '' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('You cannot do this');
    expect(refused.text).toContain('cannot also authorise it');

    // The other security manager sees it listed and approves it.
    const approver = await signedIn(otherSecurity);
    const list = await approver.get('/authorisations?status=REQUESTED');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<h1[^>]*>\s*Monitoring authorisations/);
    expect(list.text).toContain(`href="/authorisations/${id}"`);
    expect(qaText(list.text, `status-${id}`)).toBe('Requested');
    const activeList = await approver.get('/authorisations?status=ACTIVE');
    expect(activeList.text).not.toContain(`href="/authorisations/${id}"`);

    await approver.get(`/authorisations/${id}`);
    const approved = await approver.post(`/authorisations/${id}/approve`, {
      note: 'Agreed, given the intelligence.',
    });
    expect(approved.status).toBe(302);
    expect(approved.headers.location).toBe(`/authorisations/${id}`);
    const active = await approver.get(`/authorisations/${id}`);
    expect(qaText(active.text, 'status')).toBe('Active');
    expect(active.text).toContain('Monitoring is approved');
    expect(active.text).toContain('Agreed, given the intelligence.');
    expect(active.text).toContain('data-qa="review-form"');

    // Approving twice is a clear message on the page, not a crash.
    const again = await approver.post(`/authorisations/${id}/approve`, { note: '' });
    expect(again.status).toBe(409);
    expect(errorSummaryLinks(again.text)).toEqual(['#decisions']);
    expect(again.text).toContain('Authorisation is ACTIVE, not REQUESTED');

    // The head reviews: a missing decision and rationale are errors; then CONTINUE moves the date.
    const reviewer = await signedIn(head);
    const before = await reviewer.get(`/authorisations/${id}`);
    const dueBefore = qaText(before.text, 'review-due');
    const invalid = await reviewer.post(`/authorisations/${id}/review`, { rationale: '' });
    expect(invalid.status).toBe(400);
    expect(errorSummaryLinks(invalid.text)).toEqual(['#decision', '#rationale']);

    const next = inFuture(200);
    const reviewed = await reviewer.post(`/authorisations/${id}/review`, {
      decision: 'CONTINUE',
      rationale: 'Intelligence is still current.',
      'nextReviewDueAt-day': next.day,
      'nextReviewDueAt-month': next.month,
      'nextReviewDueAt-year': next.year,
    });
    expect(reviewed.status).toBe(302);
    const afterReview = await reviewer.get(`/authorisations/${id}`);
    const dueAfter = qaText(afterReview.text, 'review-due');
    expect(dueAfter).toBeDefined();
    expect(afterReview.text).toContain('The review is recorded');
    expect(afterReview.text).toContain('Intelligence is still current.');
    expect(afterReview.text).toMatch(/data-qa="reviews"[\s\S]*Continue/);
    expect(dueAfter).not.toEqual(dueBefore);
    const expected = new Date(Date.UTC(next.year, next.month - 1, next.day, 12));
    expect(dueAfter).toBe(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }).format(expected),
    );

    // Ending needs a reason; with one, the authorisation is ENDED and the forms go.
    const noReason = await reviewer.post(`/authorisations/${id}/end`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(errorSummaryLinks(noReason.text)).toEqual(['#end-reason']);
    const ended = await reviewer.post(`/authorisations/${id}/end`, {
      reason: 'Intelligence no longer supports it.',
    });
    expect(ended.status).toBe(302);
    const endedPage = await reviewer.get(`/authorisations/${id}`);
    expect(qaText(endedPage.text, 'status')).toBe('Ended');
    expect(endedPage.text).toContain('Intelligence no longer supports it.');
    expect(endedPage.text).not.toContain('data-qa="end-form"');
    expect(endedPage.text).not.toContain('data-qa="review-form"');
  });

  it('a listener may request monitoring but not decide, and sees the forbidden page for the security pages', async () => {
    const { prisoner, listener } = await world();
    const web = await signedIn(listener);
    const id = await requestThroughForm(web, prisoner);
    const page = await web.get(`/authorisations/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-qa="approve-form"');
    expect(page.text).not.toContain('data-qa="end-form"');

    for (const path of ['/audit', '/privileged-numbers', '/authorisations']) {
      const res = await web.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/<h1[^>]*>\s*You do not have permission to see this page/);
    }
    const approve = await web.post(`/authorisations/${id}/approve`, {});
    expect(approve.status).toBe(403);
  });

  it('privileged numbers: adds one for the establishment, refuses a bad number and a national one', async () => {
    const { security } = await world();
    const web = await signedIn(security);
    const page = await web.get('/privileged-numbers');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1[^>]*>\s*Privileged numbers/);
    expect(page.text).toContain('data-qa="add-number-form"');
    expect(page.text).toContain('Samaritans');

    const number = randomMobile();
    const added = await web.post('/privileged-numbers', {
      phoneNumber: number,
      organisation: 'Smith & Co Solicitors',
      kind: 'LEGAL_ADVISER',
      scope: 'establishment',
    });
    expect(added.status).toBe(302);
    const listed = await web.get('/privileged-numbers');
    expect(listed.text).toContain('data-qa="flash"');
    expect(listed.text).toContain(toE164(number));
    expect(listed.text).toContain('Smith &amp; Co Solicitors');

    const bad = await web.post('/privileged-numbers', {
      phoneNumber: '12',
      organisation: 'Nobody',
      kind: 'OTHER',
      scope: 'establishment',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#phoneNumber']);
    expect(bad.text).toContain('value="12"');
    expect(bad.text).toContain('value="Nobody"');

    const empty = await web.post('/privileged-numbers', { phoneNumber: '', organisation: '' });
    expect(empty.status).toBe(400);
    expect(errorSummaryLinks(empty.text)).toEqual([
      '#phoneNumber',
      '#organisation',
      '#kind',
      '#scope',
    ]);

    const national = await web.post('/privileged-numbers', {
      phoneNumber: randomMobile(),
      organisation: 'A national line',
      kind: 'OTHER',
      scope: 'national',
    });
    expect(national.status).toBe(400);
    expect(errorSummaryLinks(national.text)).toEqual(['#scope']);
    expect(national.text).toContain('Only an administrator may add a national privileged number');
  });

  it('audit search finds the approval by the authorisation’s id', async () => {
    const { s, prisoner, security, head } = await world();
    const id = await s.authorise(prisoner, {}, { requester: head, approver: security });
    const web = await signedIn(security);
    const empty = await web.get('/audit');
    expect(empty.status).toBe(200);
    expect(empty.text).toMatch(/<h1[^>]*>\s*Audit/);
    expect(empty.text).toContain('data-qa="audit-search"');

    const found = await web.get(`/audit?entityType=authorisation&entityId=${id}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('data-qa="audit-results"');
    expect(found.text).toMatch(/data-qa="action"[^>]*>\s*AUTHORISATION_APPROVED\s*</);
    expect(found.text).toMatch(/data-qa="action"[^>]*>\s*AUTHORISATION_REQUESTED\s*</);
    expect(found.text).toContain(security.username);
    expect(found.text).toContain('SECURITY_MANAGER');
    expect(found.text).toContain(`value="${id}"`);

    const byUser = await web.get(`/audit?entityId=${id}&username=${head.username}`);
    expect(byUser.text).toMatch(/AUTHORISATION_REQUESTED/);
    expect(byUser.text).not.toMatch(/AUTHORISATION_APPROVED/);

    const badDate = await web.get(`/audit?entityId=${id}&from-day=40&from-month=1&from-year=2025`);
    expect(badDate.status).toBe(400);
    expect(errorSummaryLinks(badDate.text)).toEqual(['#from-day']);
    expect(badDate.text).toContain('The from date must be a real date');
    // Year 0000 was taken as 1900 (Date.UTC reads years 0-99 as 19xx); the years are 1900-2100.
    const year0 = await web.get(`/audit?entityId=${id}&from-day=1&from-month=1&from-year=0000`);
    expect(year0.status).toBe(400);
    expect(year0.text).toContain('The from date must be a real date');

    const future = inFuture(2);
    const none = await web.get(
      `/audit?entityId=${id}&from-day=${future.day}&from-month=${future.month}&from-year=${future.year}`,
    );
    expect(none.text).toContain('No events match your search.');
  });

  it('every security page has one h1 marked page-heading, and forms refuse a post without CSRF', async () => {
    const { s, prisoner, security, head } = await world();
    const id = await s.authorise(prisoner, {}, { requester: head, approver: security });
    const web = await signedIn(security);
    for (const [path, qa] of [
      ['/authorisations', 'authorisations'],
      [`/authorisations/${id}`, 'authorisation-details'],
      [`/prisoners/${prisoner}/authorisations/new`, 'request-form'],
      ['/privileged-numbers', 'privileged-numbers'],
      ['/audit', 'audit-search'],
    ]) {
      const res = await web.get(path);
      expect(res.status).toBe(200);
      expect(res.text.match(/<h1 /g)).toHaveLength(1);
      expect(res.text).toMatch(/<h1 class="govuk-heading-l" data-qa="page-heading">/);
      expect(res.text).toContain(`data-qa="${qa}"`);
    }
    const noCsrf = await web.post(`/authorisations/${id}/end`, { reason: 'x' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(qaText((await web.get(`/authorisations/${id}`)).text, 'status')).toBe('Active');
    expect((await web.get('/authorisations/not-a-uuid')).status).toBe(404);
    expect((await web.get('/prisoners/nope/authorisations/new')).status).toBe(404);
  });
});
