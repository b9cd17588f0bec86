import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** Where the test agent's requests go (supertest listens on 127.0.0.1, on a new port each time). */
const ORIGIN = 'http://127.0.0.1';

const JUSTIFICATION =
  'Threats to a former partner were heard last month; less intrusive measures have failed.';

/** A date `days` from today as the GOV.UK date input's three fields. */
const dateFields = (name: string, days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return {
    [`${name}-day`]: String(d.getUTCDate()),
    [`${name}-month`]: String(d.getUTCMonth() + 1),
    [`${name}-year`]: String(d.getUTCFullYear()),
  };
};

/** The texts of the GOV.UK error summary's links, in order. */
const errorSummaryTexts = (html: string) => {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1].trim());
};

/**
 * Every message a form gives says what is wrong, and all of a form's errors come at once (the
 * GOV.UK error summary): the rules the services check again are checked with the form's others.
 */
describe('web: form messages say what is wrong, all at once', () => {
  let api: TestApi;
  let s: Scenario;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  async function signedIn(staffer: Staffer) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  it('closing an escalation as Other with no note asks for the note, not for a shorter one', async () => {
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    const logged = await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(claimed.claim.token))
      .expect(201);
    const escalationId = (
      logged.body as { escalations: { id: string; target: string }[] }
    ).escalations.find((e) => e.target === 'POM')!.id;
    const web = await signedIn(pom);
    await web.get(`/escalations/${escalationId}`);

    for (const note of ['', '   ']) {
      const res = await web.post(`/escalations/${escalationId}/close`, { outcome: 'OTHER', note });
      expect(res.status).toBe(400);
      expect(errorSummaryTexts(res.text)).toEqual([
        'Say what was done: a note is needed when the outcome is Other',
      ]);
      expect(res.text).not.toContain('5,000 characters');
    }
    const long = await web.post(`/escalations/${escalationId}/close`, {
      outcome: 'OTHER',
      note: 'x'.repeat(5001),
    });
    expect(long.status).toBe(400);
    expect(errorSummaryTexts(long.text)).toEqual(['The note must be 5,000 characters or fewer']);
    // Both fields wrong: both errors at once, in page order.
    const both = await web.post(`/escalations/${escalationId}/close`, { note: 'x'.repeat(5001) });
    expect(errorSummaryLinks(both.text)).toEqual(['#outcome', '#note']);
  });

  it('the request form reports an end date before the start date with the other errors', async () => {
    const prisoner = await s.prisoner();
    const web = await signedIn(await s.staff(['SECURITY_MANAGER']));
    await web.get(`/prisoners/${prisoner}/authorisations/new`);
    const res = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      grounds: ['CRIME'],
      channels: ['PHONE'],
      justification: 'too short',
      ...dateFields('startsAt', 10),
      ...dateFields('endsAt', 5),
      lookbackDays: '0',
    });
    expect(res.status).toBe(400);
    expect(errorSummaryLinks(res.text)).toEqual(['#type', '#justification', '#endsAt-day']);
    expect(errorSummaryTexts(res.text)).toEqual([
      'Select the type of monitoring',
      'Set out why monitoring is necessary and proportionate, in at least 20 characters',
      'The end date must be the same as or after the start date',
    ]);

    // With no start date monitoring starts now: an end date in the past is reported at once too.
    const past = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      channels: ['PHONE'],
      justification: JUSTIFICATION,
      ...dateFields('endsAt', -3),
    });
    expect(errorSummaryLinks(past.text)).toEqual(['#type', '#grounds', '#endsAt-day']);
    expect(past.text).toContain('The end date must be today or in the future');

    // Put right, it is accepted: the same day for start and end is a valid one-day authorisation.
    const ok = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      type: 'AD_HOC',
      grounds: ['CRIME'],
      channels: ['PHONE'],
      justification: JUSTIFICATION,
      ...dateFields('startsAt', 5),
      ...dateFields('endsAt', 5),
      lookbackDays: '0',
    });
    expect(ok.status).toBe(302);
  });

  it('the privileged-number form reports the number with the other errors, on the first submit', async () => {
    const web = await signedIn(await s.staff(['SECURITY_MANAGER']));
    await web.get('/privileged-numbers');
    const res = await web.post('/privileged-numbers', {
      phoneNumber: 'call me',
      organisation: '',
      scope: 'establishment',
    });
    expect(res.status).toBe(400);
    expect(errorSummaryLinks(res.text)).toEqual(['#phoneNumber', '#organisation', '#kind']);
    expect(errorSummaryTexts(res.text)[0]).toBe(
      'Enter a phone number, like 020 7946 0000 or +44 20 7946 0000',
    );

    // A national number (for administrators only) is reported with the number's own error.
    const national = await web.post('/privileged-numbers', {
      phoneNumber: '12',
      organisation: 'A national line',
      kind: 'OTHER',
      scope: 'national',
    });
    expect(errorSummaryLinks(national.text)).toEqual(['#phoneNumber', '#scope']);
    expect(national.text).toContain('Only an administrator may add a national privileged number');

    // A number already in the directory, with a missing kind: both at once.
    const number = randomMobile();
    const added = await web.post('/privileged-numbers', {
      phoneNumber: number,
      organisation: 'Smith Solicitors',
      kind: 'LEGAL_ADVISER',
      scope: 'establishment',
    });
    expect(added.status).toBe(302);
    await web.get('/privileged-numbers');
    const again = await web.post('/privileged-numbers', {
      phoneNumber: number,
      organisation: 'Smith Solicitors',
      scope: 'establishment',
    });
    expect(again.status).toBe(400);
    expect(errorSummaryLinks(again.text)).toEqual(['#phoneNumber', '#kind']);
    expect(errorSummaryTexts(again.text)[0]).toBe(`${toE164(number)} is already in the directory`);
  });

  it('the review form reports a next review date in the past with the other errors', async () => {
    const prisoner = await s.prisoner();
    const head = await s.staff(['HEAD_OF_OMU']);
    const id = await s.authorise(prisoner);
    const web = await signedIn(head);
    await web.get(`/authorisations/${id}`);
    const res = await web.post(`/authorisations/${id}/review`, {
      rationale: '',
      ...dateFields('nextReviewDueAt', -2),
    });
    expect(res.status).toBe(400);
    expect(errorSummaryLinks(res.text)).toEqual([
      '#decision',
      '#rationale',
      '#nextReviewDueAt-day',
    ]);
    expect(res.text).toContain('The next review date must be in the future');
  });

  describe('a refused CSRF token says what happened, never "you do not have permission"', () => {
    it('signed in with a form from before the last sign-in: the form was out of date, try again', async () => {
      const security = await s.staff(['SECURITY_MANAGER']);
      const web = await signedIn(security);
      await web.get('/privileged-numbers');
      const stale = web.csrf;
      // Signed out and in again (another window), the page's token is an old session's.
      await web.post('/sign-out');
      await web.signIn(security);
      web.csrf = stale;
      const res = await web.agent
        .post('/privileged-numbers')
        .set('Referer', `${ORIGIN}/privileged-numbers`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(stale)}&phoneNumber=${randomMobile()}`);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/<h1[^>]*>The form was out of date</);
      expect(res.text).toContain('Nothing was changed');
      expect(res.text).toContain('href="/privileged-numbers" data-qa="try-again"');
      expect(res.text).not.toContain('You do not have permission');
      // Still signed in.
      expect((await web.get('/privileged-numbers')).status).toBe(200);
    });

    it('after the session has ended: the session ended, sign in again and come back', async () => {
      const listener = await s.staff(['LISTENER']);
      const web = await signedIn(listener);
      await web.get('/my-work');
      // The session expires in the store while the page is open.
      await api.db.query(
        `UPDATE web_sessions SET expire = now() - interval '1 minute'
          WHERE sess->'user'->>'username' = $1`,
        [listener.username],
      );
      const res = await web.agent
        .post('/my-work/claim')
        .set('Referer', `${ORIGIN}/my-work`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(web.csrf)}`);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/<h1[^>]*>Your session has ended</);
      expect(res.text).toContain('You are no longer signed in');
      expect(res.text).toContain('href="/sign-in?returnTo=%2Fmy-work"');
      expect(res.text).not.toContain('You do not have permission');
      // Without a Referer it still offers sign-in, to the start page.
      const bare = await web.post('/calls/00000000-0000-4000-8000-000000000000/log', {});
      expect(bare.status).toBe(403);
      expect(bare.text).toContain('href="/sign-in?returnTo=%2F"');
    });

    it('on the sign-in form itself: shows the form again, fresh, saying it was out of date', async () => {
      const listener = await s.staff(['LISTENER']);
      const web = new WebClient(api);
      // A sign-in page from a visit whose cookie has gone (the browser was closed).
      await web.get('/sign-in');
      const stale = web.csrf;
      const fresh = new WebClient(api);
      fresh.csrf = stale;
      const res = await fresh.post('/sign-in', {
        username: listener.username,
        password: listener.password,
        returnTo: '/my-work',
      });
      expect(res.status).toBe(403);
      expect(errorSummaryTexts(res.text)).toEqual([
        'The sign-in page was out of date. Sign in again',
      ]);
      expect(res.text).toContain(`value="${listener.username}"`);
      expect(res.text).toContain('name="returnTo" value="/my-work"');
      expect(res.text).not.toContain('You do not have permission');
      // The page it shows works.
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
      fresh.csrf = csrf!;
      const ok = await fresh.post('/sign-in', {
        username: listener.username,
        password: listener.password,
        returnTo: '/my-work',
      });
      expect(ok.status).toBe(302);
      expect(ok.headers.location).toBe('/my-work');
    });
  });
});
