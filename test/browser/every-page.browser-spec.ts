/// <reference lib="dom" />
import { bearer } from '../support/api';
import { randomMobile, Scenario, Staffer } from '../support/scenario';
import { SignInPage } from './pages/pages';
import { checkPage, expectAccessible, useWorkbench } from './support/browser';

jest.setTimeout(180_000);

/**
 * Every main page of the workbench, for each role, with real data on it: each passes axe-core's
 * WCAG 2.2 AA rules in Chromium and is saved as a screenshot (test/browser/screenshots). The
 * journey (journey.browser-spec.ts) covers the listener's pages and the escalation pages.
 */
describe('browser: every page is accessible', () => {
  const wb = useWorkbench();
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world();
  });

  /**
   * A prisoner with a POM, an approved authorisation, a logged call with a threat (so escalations,
   * an IRMM agenda item and a log timeline exist) and a call still waiting; a security manager who
   * works at two establishments (so the switcher shows).
   */
  async function world() {
    const s = await Scenario.create(wb.server.api);
    const second = await s.newEstablishment();
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER'], {
      establishments: [s.establishment, second],
    });
    const prisoner = await s.prisoner({
      mappaCategory: 2,
      mappaLevel: 2,
      roshLevel: 'VERY_HIGH',
      alertCodes: ['RDV', 'PC'],
      pomUsername: pom.username,
      leadListenerUsername: listener.username,
    });
    await s.contact(prisoner, {
      name: 'Amy Lane',
      relationship: 'PARTNER',
      phoneNumbers: [randomMobile()],
    });
    const unmonitored = await s.prisoner({ roshLevel: 'MEDIUM', pomUsername: pom.username });
    const authorisationId = await s.authorise(prisoner);
    await s.ingestAndTriage([
      s.call(prisoner, { startedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }),
      s.call(prisoner),
    ]);
    const claimed = await s.claim(listener).expect(200);
    const { call, claim } = claimed.body as { call: { id: string }; claim: { token: string } };
    const logged = await wb.server.api.http
      .post(`/api/calls/${call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: claim.token,
        contact: { relationship: 'EX_PARTNER', confidence: 'PROBABLE' },
        themes: [{ code: 'THREATS_TO_HARM' }, { code: 'CONTROLLING_BEHAVIOUR' }],
        threats: [
          {
            target: 'ex-partner',
            type: 'PHYSICAL',
            imminence: 'ON_RELEASE',
            quote: 'you will pay',
          },
        ],
        concernLevel: 'HIGH',
        summary: 'Told his ex-partner she would pay when he is released; he knows her new address.',
        recordingQuality: 'GOOD',
      })
      .expect(201);
    const log = logged.body as {
      log: { id: string };
      escalations: { id: string; target: string }[];
    };
    // A MAPPA level review the POM closes with its outcome (the MAPPA close form).
    const mappa = await wb.server.api.http
      .post(`/api/prisoners/${prisoner}/escalations`)
      .set(bearer(head.token))
      .send({ target: 'MAPPA', reason: 'Threats and controlling behaviour: review the level' })
      .expect(201);
    return {
      s,
      listener,
      pom,
      head,
      security,
      prisoner,
      unmonitored,
      authorisationId,
      logId: log.log.id,
      escalationId: log.escalations[0].id,
      // MAPPA level 2 and HIGH: the POM shares it with the community offender manager.
      comEscalationId: log.escalations.find((e) => e.target === 'COM')!.id,
      mappaEscalationId: (mappa.body as { id: string }).id,
    };
  }

  async function signIn(user: Staffer) {
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signInAs(user, SignInPage);
    return signInPage;
  }

  /** Opens each path as the signed-in user: the page answers 200, passes axe and is saved. */
  async function visit(pages: [name: string, path: string][]) {
    for (const [name, path] of pages) {
      const res = await wb.browser.page.goto(`${wb.server.baseUrl}${path}`);
      expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
      await checkPage(wb.browser.page, name);
    }
  }

  it('the POM’s caseload, prisoner page and log', async () => {
    await signIn(w.pom);
    await visit([
      ['pom-home', '/'],
      ['pom-caseload', '/caseload'],
      ['pom-prisoner', `/prisoners/${w.prisoner}`],
      ['pom-prisoner-by-theme', `/prisoners/${w.prisoner}?theme=THREATS_TO_HARM`],
      ['pom-log', `/logs/${w.logId}`],
      ['pom-escalations', '/escalations'],
      ['pom-escalation', `/escalations/${w.escalationId}`],
    ]);
    await expect(
      wb.browser.page.locator('[data-qa="escalation-logs"]').innerText(),
    ).resolves.toContain('you will pay');
    // Closing without saying what was done: the error summary, and the escalation stays open.
    await wb.browser.page.locator('[data-qa="close"]').click();
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await expect(
      wb.browser.page.locator('[data-qa="escalation-status"]').innerText(),
    ).resolves.toContain('Open');
    await checkPage(wb.browser.page, 'pom-escalation-errors');
    // The MAPPA close form: "level changed" without the new level names the level.
    await visit([['pom-mappa-escalation', `/escalations/${w.mappaEscalationId}`]]);
    await wb.browser.page.locator('input[name="outcome"][value="LEVEL_CHANGED"]').check();
    await wb.browser.page.locator('[data-qa="close"]').click();
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(wb.browser.page, 'pom-mappa-escalation-errors');
  });

  it('a POM’s caseload of 30: paged, filtered, sorted across pages, and a refused search', async () => {
    const pom = await w.s.staff(['POM']);
    for (let i = 1; i <= 30; i++) {
      await w.s.prisoner({
        firstName: 'Kim',
        lastName: `Casey${String(i).padStart(2, '0')}`,
        pomUsername: pom.username,
      });
    }
    await signIn(pom);
    const page = wb.browser.page;
    await visit([
      ['pom-caseload-paged', '/caseload'],
      ['pom-caseload-none-match', '/caseload?unread=yes'],
      ['pom-caseload-page-2-by-name', '/caseload?sort=name&order=desc&page=2'],
    ]);
    await expect(page.locator('[data-qa="caseload-count"]').innerText()).resolves.toBe(
      'Showing 26 to 30 of 30 prisoners',
    );
    // The filter form keeps the sort; the pagination keeps both.
    await page.locator('#search').fill('casey0');
    await page.locator('[data-qa="filter-submit"]').click();
    await page.waitForURL(/search=casey0/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    await expect(page.locator('[data-qa="caseload-count"]').innerText()).resolves.toBe(
      'Showing 1 to 9 of 9 prisoners matching your filters (30 on your caseload)',
    );
    await visit([['pom-caseload-by-name-desc', '/caseload?sort=name&order=desc']]);
    await page.locator('.govuk-pagination__next a').click();
    await page.waitForURL(/page=2/);
    await expect(page.locator('[data-qa^="name-"]').first().innerText()).resolves.toContain(
      'Casey05',
    );
    const refused = await page.goto(`${wb.server.baseUrl}/caseload?search=${'x'.repeat(101)}`);
    expect(refused?.status()).toBe(400);
    await checkPage(page, 'pom-caseload-search-too-long');
  });

  it('the POM records the COM and shares a COM escalation with them', async () => {
    await signIn(w.pom);
    const page = wb.browser.page;
    await visit([['pom-com-form', `/prisoners/${w.prisoner}/com`]]);
    await page.locator('#name').fill('Sam Okafor');
    await page.locator('#email').fill('sam.okafor');
    await page.locator('[data-qa="save-com"]').click();
    await page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(page, 'pom-com-form-errors');
    await page.locator('#email').fill('sam.okafor@justice.gov.uk');
    await page.locator('[data-qa="save-com"]').click();
    await page.locator('[data-qa="com"]').waitFor();
    await expect(page.locator('[data-qa="com-panel"]').innerText()).resolves.toContain(
      'Sam Okafor',
    );

    await visit([['pom-com-escalation', `/escalations/${w.comEscalationId}`]]);
    await page.locator('[data-qa="share"]').click();
    await page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(page, 'pom-com-escalation-errors');
    await page.locator('input[name="channel"][value="EMAIL"]').check();
    await page.locator('#summary').fill('Sent the COM the log of the threat to his ex-partner.');
    await page.locator('[data-qa="share"]').click();
    await page.locator('[data-qa="share-summary"]').waitFor();
    await expect(page.locator('[data-qa="shares"]').innerText()).resolves.toContain(
      'Sent the COM the log of the threat to his ex-partner.',
    );
    await checkPage(page, 'pom-com-escalation-shared');
  });

  it('the POM sends the pre-release digest to the COM and finds it in the disclosures register', async () => {
    await signIn(w.pom);
    const page = wb.browser.page;
    await visit([['pom-pre-release-digest', `/prisoners/${w.prisoner}/pre-release-digest`]]);
    await expect(page.locator('[data-qa="digest"]').innerText()).resolves.toContain('you will pay');
    await page.locator('#to').fill('');
    await page.locator('[data-qa="mark-sent"]').click();
    await page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(page, 'pom-pre-release-digest-errors');
    await page
      .locator('#analysis')
      .fill('He minimises the threats to his ex-partner; plan her safety before release.');
    await page.locator('#to').fill('Sam Okafor <sam.okafor@justice.gov.uk>');
    await page.locator('[data-qa="mark-sent"]').click();
    await page.locator('[data-qa="content-hash"]').waitFor();
    await checkPage(page, 'pom-disclosure');
    await visit([['pom-disclosures', '/disclosures']]);
  });

  it('the head of OMU’s backlog, forecast, queue, IRMM and reviews', async () => {
    await signIn(w.head);
    await visit([
      ['head-backlog', '/backlog'],
      ['head-queue', '/queue'],
      ['head-irmm', '/irmm'],
      ['head-risk-flags', '/risk-flags'],
      ['head-reviews', '/authorisations/reviews'],
      ['head-disclosures', '/disclosures'],
    ]);
    // The forecast, asked through its form.
    await wb.browser.page.goto(`${wb.server.baseUrl}/backlog`);
    await wb.browser.page.locator('[name="listeners"]').fill('3');
    await wb.browser.page.locator('[name="hoursPerDay"]').fill('6');
    await wb.browser.page.locator('[data-qa="forecast-form"] button').click();
    await wb.browser.page.locator('[data-qa="forecast-result"]').waitFor();
    await checkPage(wb.browser.page, 'head-forecast');
    // Recording a meeting with nothing filled in: every error in the summary.
    await wb.browser.page.goto(`${wb.server.baseUrl}/irmm`);
    await wb.browser.page.locator('[data-qa="meeting-form"] button[type="submit"]').last().click();
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(wb.browser.page, 'head-irmm-errors');
  });

  it('the security manager’s authorisations, privileged numbers and audit search', async () => {
    await signIn(w.security);
    await expect(
      wb.browser.page.locator('[data-qa="establishment-switcher"]').count(),
    ).resolves.toBe(1);
    await visit([
      ['security-authorisations', '/authorisations'],
      ['security-authorisation', `/authorisations/${w.authorisationId}`],
      ['security-request-authorisation', `/prisoners/${w.unmonitored}/authorisations/new`],
      ['security-privileged-numbers', '/privileged-numbers'],
      ['security-audit', `/audit?entityType=log&entityId=${w.logId}`],
    ]);
    // The request form with every error showing.
    await wb.browser.page.goto(
      `${wb.server.baseUrl}/prisoners/${w.unmonitored}/authorisations/new`,
    );
    await wb.browser.page.locator('[data-qa="request-form"] button[type="submit"]').last().click();
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(wb.browser.page, 'security-request-authorisation-errors');
  });

  it('the administrator’s staff list and a trainings form, with an expired training and with an error', async () => {
    await wb.server.api.http
      .put(`/api/staff/${w.listener.username}`)
      .set(bearer(w.s.adminToken))
      .send({
        displayName: 'Test LISTENER',
        roles: ['LISTENER'],
        establishments: [w.s.establishment],
        trainings: [
          'PUBLIC_PROTECTION',
          { code: 'DOMESTIC_ABUSE', completedOn: '2023-01-10', expiresOn: '2025-01-10' },
          { code: 'CHILD_SAFEGUARDING', completedOn: '2026-01-10', expiresOn: '2099-01-10' },
        ],
      })
      .expect(200);
    const admin = { username: process.env.ADMIN_USERNAME!, password: process.env.ADMIN_PASSWORD! };
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signInAs(admin, SignInPage);
    await visit([
      ['admin-staff', `/staff?establishment=${w.s.establishment}`],
      ['admin-trainings', `/staff/${w.listener.username}/trainings`],
    ]);
    await wb.browser.page.locator('#DOMESTIC_ABUSE-expiresOn-day').fill('31');
    await wb.browser.page.locator('#DOMESTIC_ABUSE-expiresOn-month').fill('2');
    await wb.browser.page.locator('[data-qa="save-trainings"]').click();
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(wb.browser.page, 'admin-trainings-errors');
  });

  it('sign-in with an error, and the 403 and 404 pages', async () => {
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signIn(w.listener.username, 'not-the-password');
    await wb.browser.page.locator('[data-qa="error-summary"]').waitFor();
    await checkPage(wb.browser.page, 'sign-in-error');

    await signIn(w.listener);
    const forbidden = await wb.browser.page.goto(`${wb.server.baseUrl}/backlog`);
    expect(forbidden?.status()).toBe(403);
    await checkPage(wb.browser.page, 'forbidden');
    const missing = await wb.browser.page.goto(`${wb.server.baseUrl}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await checkPage(wb.browser.page, 'not-found');
  });

  it('the accessibility check fails on a page with a WCAG failure (the check is not vacuous)', async () => {
    await wb.browser.page.setContent(
      '<!doctype html><html lang="en"><head><title>t</title></head><body><main>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>',
    );
    await expect(expectAccessible(wb.browser.page, 'broken')).rejects.toThrow(/image-alt|label/);
  });
});
