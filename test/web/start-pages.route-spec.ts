import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** What the `data-qa` element's opening tag is followed by, up to the next tag. */
const qaText = (html: string, qa: string) =>
  new RegExp(`data-qa="${qa}"[^>]*>\\s*([^<]*?)\\s*<`).exec(html)?.[1];

/** A page's path as its route is written: ids and prison numbers as the route's parameters. */
const routeOf = (url: string) =>
  url
    .split(/[?#]/)[0]
    .replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '/:id')
    .replace(/\/prisoners\/[A-Z]\d{4}[A-Z]{2}/g, '/prisoners/:prisonNumber')
    .replace(/^\/staff\/[^/]+\/trainings$/, '/staff/:username/trainings');

/** Every page a GET route of src/web's `*.routes.ts` files answers, as written (parameters as :id). */
function workbenchGetRoutes(): string[] {
  const dir = path.resolve(__dirname, '../../src/web');
  const routes = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  for (const file of files.filter((f) => f.endsWith('.routes.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/router\.get\(\s*'([^']+)'/g)) {
      routes.add(m[1].replace(/:[A-Za-z]+Id\b/g, ':id'));
    }
  }
  return [...routes].sort();
}

/**
 * Pages no link or GET form leads to, and why that is right: each is reached another way. Any other
 * page must be reached by following the links and GET forms from some role's start page.
 */
const REACHED_OTHERWISE: Record<string, string> = {
  '/': 'the start page itself (the header and every error page link to it)',
  '/sign-in': 'where signing out and every page for a visitor not signed in lead',
  '/sign-out': 'where Sign out (a POST) sends a listener who holds calls, to ask about them',
  '/calls/:id/listen': 'where "Listen to next call" (a POST) sends the listener',
  '/calls/:id/logged': 'where submitting the log (a POST) sends the listener',
  '/calls/:id/recording': 'the audio player’s source on Listen and log',
  '/irmm/meetings/:id':
    'a meeting’s page, linked from Past meetings once one is recorded (irmm-summary.route-spec.ts follows that link)',
};

describe('web: each role’s start page, and every page reachable', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function signedIn(staffer: Pick<Staffer, 'username' | 'password'>) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  /**
   * A prisoner with a POM and a monitoring authorisation whose review is overdue, a logged HIGH
   * concern with a threat (a POM escalation and an IRMM item), a call still waiting, and a request
   * for monitoring of a second prisoner waiting for approval.
   */
  async function world() {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner({ pomUsername: pom.username, roshLevel: 'HIGH' });
    const unmonitored = await s.prisoner({ pomUsername: pom.username });
    const authorisationId = await s.authorise(
      prisoner,
      {},
      { requester: security, approver: head },
    );
    // Its review fell due yesterday.
    await api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '1 day' WHERE id = $1`,
      [authorisationId],
    );
    await api.http
      .post(`/api/prisoners/${unmonitored}/monitoring-authorisations`)
      .set(bearer(security.token))
      .send({
        type: 'AD_HOC',
        grounds: ['PUBLIC_SAFETY'],
        channels: ['PHONE'],
        justification: 'A specific concern raised by the wing this week; calls must be heard.',
      })
      .expect(201);
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(claimed.claim.token))
      .expect(201);
    return { s, listener, pom, head, security, prisoner, unmonitored, authorisationId };
  }

  it('sends each role with one job to its own work, and the error pages’ start link there too', async () => {
    const { listener, pom, head, security } = await world();
    for (const [who, start] of [
      [listener, '/my-work'],
      [pom, '/caseload'],
      [head, '/backlog'],
      [security, '/authorisations'],
    ] as const) {
      const web = await signedIn(who);
      const home = await web.get('/');
      expect({ start, status: home.status, location: home.headers.location }).toEqual({
        start,
        status: 302,
        location: start,
      });
      const page = await web.get(start);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('Your pages are not in the workbench yet');
      // Every error page's "Go to the start page" is `/`, which is this role's work.
      const missing = await web.get('/no-such-page');
      expect(missing.status).toBe(404);
      expect(missing.text).toMatch(/<a class="govuk-link" href="\/">Go to the start page<\/a>/);
    }
  });

  it('a POM starts on the caseload, with the escalations waiting for them linked', async () => {
    const { pom } = await world();
    const web = await signedIn(pom);
    const page = await web.get('/caseload');
    expect(page.text).toContain('data-qa="inbox-summary"');
    expect(page.text).toContain('Escalations waiting for you');
    expect(qaText(page.text, 'inbox-new')).toBe('1 new');
    expect(qaText(page.text, 'inbox-acknowledged')).toBe('0 acknowledged');
    expect(page.text).toContain('href="/escalations?status=OPEN"');
    expect(page.text).toContain('href="/escalations" data-qa="inbox-link"');
  });

  it('a security manager starts on authorisations, with the decisions waiting and Reviews due linked', async () => {
    const { security, head } = await world();
    for (const who of [security, head]) {
      const web = await signedIn(who);
      const page = await web.get('/authorisations');
      expect(page.text).toContain('Waiting for a decision');
      expect(qaText(page.text, 'waiting-approval')).toBe('1 request for monitoring');
      expect(qaText(page.text, 'reviews-overdue')).toBe('1 review');
      expect(page.text).toContain('href="/authorisations/reviews" data-qa="reviews-due-link"');
      expect(page.text).toContain('href="/authorisations/reviews?show=overdue"');
    }
  });

  it('several roles get a page linking each role’s work; an administrator starts on Staff', async () => {
    const { s } = await world();
    const both = await s.staff(['POM', 'SECURITY_MANAGER']);
    const web = await signedIn(both);
    const home = await web.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/<h1[^>]*data-qa="home-heading">Your work</);
    expect(home.text).not.toContain('Your pages are not in the workbench yet');
    for (const href of ['/caseload', '/escalations', '/authorisations', '/audit']) {
      expect(home.text).toContain(`href="${href}"`);
    }
    expect(home.text).toContain('data-qa="work-pom"');
    expect(home.text).toContain('data-qa="work-security_manager"');
    expect(home.text).not.toContain('data-qa="work-listener"');

    const admin = await signedIn({
      username: process.env.ADMIN_USERNAME!,
      password: process.env.ADMIN_PASSWORD!,
    });
    const adminHome = await admin.get('/');
    expect(adminHome.status).toBe(302);
    expect(adminHome.headers.location).toBe('/staff');
    const staffPage = await admin.get('/staff');
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).toContain('data-qa="staff"');
    expect(staffPage.text).toContain('PUT /api/staff/{username}');
    expect(staffPage.text).toContain('href="/api/docs"');

    // A head of OMU at no establishment is told why, not sent to a page that refuses them.
    const nowhere = await signedIn(await s.staff(['HEAD_OF_OMU'], { establishments: [] }));
    const nowhereHome = await nowhere.get('/');
    expect(nowhereHome.status).toBe(200);
    expect(nowhereHome.text).toContain('data-qa="no-establishment"');
    expect(nowhereHome.text).toContain('href="/backlog"');
  });

  it('the prisoner page opens the request form and each authorisation; a number opens it too', async () => {
    const { pom, security, prisoner, authorisationId } = await world();
    const web = await signedIn(pom);
    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.text).toContain(`href="/prisoners/${prisoner}/authorisations/new"`);
    expect(page.text).toContain(`href="/authorisations/${authorisationId}"`);
    const form = await web.get(`/prisoners/${prisoner}/authorisations/new`);
    expect(form.status).toBe(200);
    // A POM may read the authorisation, and is offered the prisoner, not the list they may not see.
    const authorisation = await web.get(`/authorisations/${authorisationId}`);
    expect(authorisation.text).toContain(`data-qa="prisoner-link" href="/prisoners/${prisoner}"`);
    expect(authorisation.text).not.toContain('data-qa="back-to-list"');

    const sec = await signedIn(security);
    const list = await sec.get('/authorisations');
    expect(list.text).toContain('data-qa="request-by-number"');
    const found = await sec.get(`/authorisations/new?prisonNumber=${prisoner.toLowerCase()}`);
    expect(found.status).toBe(302);
    expect(found.headers.location).toBe(`/prisoners/${prisoner}/authorisations/new`);
    const blank = await sec.get('/authorisations/new?prisonNumber=');
    expect(blank.status).toBe(400);
    expect(errorSummaryLinks(blank.text)).toEqual(['#prisonNumber']);
    expect(blank.text).toContain('Enter the prison number of the prisoner to monitor');
    const malformed = await sec.get('/authorisations/new?prisonNumber=12345');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('Enter a prison number in the right format, like A1234BC');
    expect(malformed.text).toContain('value="12345"');
    const unknown = await sec.get('/authorisations/new?prisonNumber=Z9999ZZ');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('There is no prisoner with the number Z9999ZZ');

    // Reviews due opens each authorisation to review it.
    const reviews = await sec.get('/authorisations/reviews');
    expect(reviews.text).toContain(`href="/authorisations/${authorisationId}"`);
  });

  it('every page of the workbench is reached from some role’s start page by links and GET forms', async () => {
    const { listener, pom, head, security, prisoner } = await world();
    // A digest sent, so that the register has an entry to open (its page, print and PDF).
    await api.http
      .post(`/api/prisoners/${prisoner}/pre-release-digest/sent`)
      .set(bearer(pom.token))
      .send({
        to: 'Sam Okafor',
        analysis: 'Nothing of concern heard.',
        sentAt: new Date().toISOString(),
      })
      .expect(201);
    const reached = new Map<string, string>();
    const admin = {
      username: process.env.ADMIN_USERNAME!,
      password: process.env.ADMIN_PASSWORD!,
    };
    for (const who of [listener, pom, head, security, admin]) {
      const web = await signedIn(who);
      const seen = new Set<string>();
      const queue = ['/'];
      while (queue.length) {
        const url = queue.shift()!;
        const route = routeOf(url);
        if (seen.has(route)) continue;
        seen.add(route);
        const res = await web.get(url);
        if (res.status === 302) {
          queue.unshift(String(res.headers.location));
          continue;
        }
        // A refusal or a missing page is not a page reached.
        if (res.status === 403 || res.status === 404 || res.status >= 500) continue;
        if (!reached.has(route)) reached.set(route, who.username);
        const html = res.text ?? '';
        const targets = [
          ...[...html.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]),
          ...[...html.matchAll(/<form [^>]*method="get"[^>]*action="(\/[^"]*)"/g)].map((m) => m[1]),
        ]
          .map((href) => href.replace(/&amp;/g, '&'))
          .filter((href) => !href.startsWith('/assets') && !href.startsWith('/api/'));
        queue.push(...targets);
      }
    }
    const unreached = workbenchGetRoutes().filter(
      (route) => !reached.has(route) && !(route in REACHED_OTHERWISE),
    );
    expect(unreached).toEqual([]);
  });
});
