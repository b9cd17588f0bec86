/// <reference lib="dom" />
import { bearer } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';
import { SignInPage } from './pages/pages';
import {
  AuthorisationsPage,
  ErrorPage,
  LandingPage,
  PrisonerPage,
  RequestFormPage,
  SessionEndedPage,
} from './pages/start-pages';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(180_000);

type User = Pick<Staffer, 'username' | 'password'>;

/**
 * Issue 12, items 4 to 6 as a user meets them in Chromium: each role signs in and lands on its own
 * work (and every error page's "Go to the start page" leads there); the monitoring request form is
 * reached from the prisoner page and Reviews due from the page that mentions it; a form's errors
 * all come at once; and a form sent after the session ended says so and offers sign-in.
 */
describe('browser: each role’s start page, and the pages reached from it', () => {
  const wb = useWorkbench();
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world();
  });

  /**
   * A prisoner with a POM, an authorisation whose review is overdue and a logged HIGH concern (a
   * POM escalation); a second prisoner of the POM's, not monitored.
   */
  async function world() {
    const s = await Scenario.create(wb.server.api);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const pomAndSecurity = await s.staff(['POM', 'SECURITY_MANAGER']);
    const prisoner = await s.prisoner({ pomUsername: pom.username, roshLevel: 'HIGH' });
    const unmonitored = await s.prisoner({
      firstName: 'Ned',
      lastName: 'Unwatched',
      pomUsername: pom.username,
    });
    const authorisationId = await s.authorise(
      prisoner,
      {},
      { requester: security, approver: head },
    );
    await wb.server.api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '3 days' WHERE id = $1`,
      [authorisationId],
    );
    await s.ingestAndTriage([s.call(prisoner), s.call(prisoner)]);
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    await wb.server.api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listener.token))
      .send(highLogWithThreat(claimed.claim.token))
      .expect(201);
    const admin: User = {
      username: process.env.ADMIN_USERNAME!,
      password: process.env.ADMIN_PASSWORD!,
    };
    return {
      listener,
      pom,
      head,
      security,
      pomAndSecurity,
      admin,
      prisoner,
      unmonitored,
      authorisationId,
    };
  }

  /** Signs in through the sign-in page, as a user does, and returns where it landed. */
  async function signIn(user: User): Promise<LandingPage> {
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signIn(user.username, user.password);
    await signInPage.qa('signed-in-user').waitFor();
    return new LandingPage(wb.browser.page);
  }

  it.each([
    ['listener', '/my-work', 'My work'],
    ['POM', '/caseload', 'My caseload'],
    ['head of OMU', '/backlog', 'Backlog'],
    ['security manager', '/authorisations', 'Monitoring authorisations'],
  ] as const)(
    'a %s signs in and lands on their own work; an error page’s start link leads back there',
    async (role, path, heading) => {
      const user = {
        listener: w.listener,
        POM: w.pom,
        'head of OMU': w.head,
        'security manager': w.security,
      }[role];
      const landed = await signIn(user);
      expect(landed.path()).toBe(path);
      await expect(landed.heading()).resolves.toBe(heading);
      await expect(wb.browser.page.locator('main').innerText()).resolves.not.toContain(
        'Your pages are not in the workbench yet',
      );
      await checkPage(wb.browser.page, `start-${role.replace(/ /g, '-').toLowerCase()}`);

      // A mistyped address: "Page not found", whose start link goes back to this role's work.
      await wb.browser.page.goto(`${wb.server.baseUrl}/no-such-page`);
      const notFound = new ErrorPage(wb.browser.page);
      await expect(notFound.heading()).resolves.toBe('Page not found');
      const back = await notFound.goToStartPage();
      expect(back.path()).toBe(path);
      await expect(back.heading()).resolves.toBe(heading);
      await back.signOut();
    },
  );

  it('the POM’s start page shows the escalations waiting and leads to them', async () => {
    const caseload = await signIn(w.pom);
    await expect(caseload.qa('inbox-summary').innerText()).resolves.toMatch(
      /Escalations waiting for you[\s\S]*1 new, not yet acknowledged/,
    );
    const inbox = await caseload.follow('Go to your escalations', LandingPage);
    expect(inbox.path()).toBe('/escalations');
    await expect(inbox.heading()).resolves.toBe('Escalations');
    await inbox.signOut();
  });

  it('a user with several roles lands on a page linking each role’s work; an administrator starts on Staff', async () => {
    const home = await signIn(w.pomAndSecurity);
    expect(home.path()).toBe('/');
    await expect(home.heading()).resolves.toBe('Your work');
    await expect(home.qa('work-pom').innerText()).resolves.toContain('My caseload');
    await expect(home.qa('work-security_manager').innerText()).resolves.toContain('Authorisations');
    await checkPage(wb.browser.page, 'start-several-roles');
    const authorisations = await home.follow('Authorisations', LandingPage);
    expect(authorisations.path()).toBe('/authorisations');
    await authorisations.signOut();

    const adminHome = await signIn(w.admin);
    expect(adminHome.path()).toBe('/staff');
    await expect(adminHome.heading()).resolves.toBe('Staff');
    await expect(adminHome.qa('staff').innerText()).resolves.toContain(w.admin.username);
    await checkPage(wb.browser.page, 'start-admin');
    await adminHome.signOut();
  });

  it('the monitoring request form is reached from the prisoner page, and reports every error at once', async () => {
    const caseload = await signIn(w.pom);
    const prisonerPage = await caseload.follow(/Unwatched, Ned/, PrisonerPage);
    await expect(prisonerPage.heading()).resolves.toContain(w.unmonitored);
    await checkPage(wb.browser.page, 'start-prisoner-request-link');
    const form = await prisonerPage.requestMonitoring();
    await expect(form.heading()).resolves.toBe('Request monitoring of communications');

    // No type, no grounds, and an end date before the start date: all three on the first submit.
    const start = new Date(Date.now() + 10 * 86_400_000);
    const end = new Date(Date.now() + 5 * 86_400_000);
    await form.fill(
      'justification',
      'A specific concern raised by the wing this week; calls must be heard.',
    );
    await form.date('startsAt', start);
    await form.date('endsAt', end);
    await form.submit();
    await expect(form.errorLinks()).resolves.toEqual([
      { text: 'Select the type of monitoring', href: '#type' },
      { text: 'Select at least one ground for monitoring', href: '#grounds' },
      { text: 'The end date must be the same as or after the start date', href: '#endsAt-day' },
    ]);
    await checkPage(wb.browser.page, 'start-request-form-errors');
    await form.signOut();

    // The security manager reaches it from Authorisations by the prisoner's number.
    const authorisations = new AuthorisationsPage((await signIn(w.security)).page);
    const byNumber = await authorisations.requestFor(w.unmonitored.toLowerCase());
    expect(byNumber.path()).toBe(`/prisoners/${w.unmonitored}/authorisations/new`);
    await expect(new RequestFormPage(byNumber.page).heading()).resolves.toBe(
      'Request monitoring of communications',
    );
    await byNumber.signOut();
  });

  it('Reviews due is reached from Authorisations, in the navigation, and opens the authorisation', async () => {
    const backlog = await signIn(w.head);
    const authorisations = await backlog.goTo('Authorisations', AuthorisationsPage);
    await expect(authorisations.qa('decisions').innerText()).resolves.toMatch(
      /Waiting for a decision[\s\S]*1 review overdue/,
    );
    await checkPage(wb.browser.page, 'start-authorisations-decisions');
    const reviews = await authorisations.reviewsDue();
    await expect(reviews.heading()).resolves.toBe('Authorisations due for review');
    await checkPage(wb.browser.page, 'start-reviews-due');
    const authorisation = await reviews.review(w.prisoner);
    expect(authorisation.path()).toBe(`/authorisations/${w.authorisationId}`);
    await expect(authorisation.qa('review-form').count()).resolves.toBe(1);
    await authorisation.signOut();
  });

  it('a form sent after the session ended says so, and signing in again returns to the page', async () => {
    const authorisations = await signIn(w.security);
    await wb.browser.page.goto(`${wb.server.baseUrl}/privileged-numbers`);
    // The session expires (in the store) while the page is open.
    await wb.server.api.db.query(
      `UPDATE web_sessions SET expire = now() - interval '1 minute'
        WHERE sess->'user'->>'username' = $1`,
      [w.security.username],
    );
    await wb.browser.page.locator('[name="phoneNumber"]').fill('020 7946 0123');
    await wb.browser.page.locator('[data-qa="add-number"]').click();
    await wb.browser.page.waitForLoadState('load');
    const ended = new SessionEndedPage(authorisations.page);
    await expect(ended.heading()).resolves.toBe('Your session has ended');
    await expect(wb.browser.page.locator('main').innerText()).resolves.not.toContain(
      'You do not have permission',
    );
    await checkPage(wb.browser.page, 'start-session-ended');
    const back = await ended.signInAgain(w.security);
    expect(back.path()).toBe('/privileged-numbers');
    await back.signOut();
  });
});
