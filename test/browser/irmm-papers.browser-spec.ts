/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { bearer } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';
import { SignInPage } from './pages/pages';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(180_000);

/**
 * The MAPPA monitoring summary from the browser session (the page and the PDF download), and the
 * IRMM's print view and past meetings: each page passes axe-core's WCAG 2.2 AA rules.
 */
describe('browser: the MAPPA summary and the IRMM papers', () => {
  const wb = useWorkbench();

  async function world() {
    const s = await Scenario.create(wb.server.api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const prisoner = await s.prisoner({
      mappaCategory: 1,
      mappaLevel: 2,
      pomUsername: pom.username,
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const claimed = await s.claim(listener).expect(200);
    const { call, claim } = claimed.body as { call: { id: string }; claim: { token: string } };
    await wb.server.api.http
      .post(`/api/calls/${call.id}/log`)
      .set(bearer(listener.token))
      .send(
        highLogWithThreat(claim.token, {
          summary: 'Said he knows where she lives and will be waiting when he is released.',
        }),
      )
      .expect(201);
    return { s, head, pom, prisoner };
  }

  async function signIn(user: Staffer) {
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signInAs(user, SignInPage);
  }

  it('the POM opens the summary and downloads its PDF from the prisoner page', async () => {
    const { pom, prisoner } = await world();
    await signIn(pom);
    const { page } = wb.browser;
    await page.goto(`${wb.server.baseUrl}/prisoners/${prisoner}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-qa="monitoring-summary-pdf"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^monitoring-summary-${prisoner}-`));
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.locator('[data-qa="monitoring-summary-html"]').click();
    await page.waitForURL(`**/prisoners/${prisoner}/monitoring-summary`);
    await expect(page.locator('body').innerText()).resolves.toContain('OFFICIAL-SENSITIVE');
    await checkPage(page, 'pom-monitoring-summary');
  });

  it('the head prints the agenda, records a meeting and reads it back in the past meetings', async () => {
    const { s, head, prisoner } = await world();
    await signIn(head);
    const { page } = wb.browser;
    await page.goto(`${wb.server.baseUrl}/irmm`);
    await page.locator('[data-qa="print-agenda"]').click();
    await page.locator('[data-qa="irmm-print"]').waitFor();
    await expect(page.locator('.govuk-service-navigation').count()).resolves.toBe(0);
    await checkPage(page, 'head-irmm-print');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('[data-qa="back-to-agenda"]').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });

    const agenda = await wb.server.api.http
      .get(`/api/irmm/agenda?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    const escalationId = (agenda.body as { items: { escalations: { id: string }[] }[] }).items[0]
      .escalations[0].id;
    await wb.server.api.http
      .post('/api/irmm/meetings')
      .set(bearer(head.token))
      .send({
        establishmentCode: s.establishment,
        heldAt: new Date(Date.now() - 3_600_000).toISOString(),
        attendees: ['Head of OMU', 'Security manager'],
        items: [{ escalationId, decision: 'CARRY_FORWARD', note: 'Wait for the police' }],
      })
      .expect(201);

    await page.goto(`${wb.server.baseUrl}/irmm`);
    await page.locator('[data-qa="past-meetings"]').click();
    await page.locator('[data-qa="meetings-table"]').waitFor();
    await checkPage(page, 'head-irmm-meetings');
    await page.locator('[data-qa^="open-meeting-"]').first().click();
    await page.locator('[data-qa="meeting-items"]').waitFor();
    await expect(page.locator('[data-qa="meeting-items"]').innerText()).resolves.toContain(
      prisoner,
    );
    await expect(
      page.locator(`[data-qa="decision-${escalationId}"]`).innerText(),
    ).resolves.toContain('Carried forward');
    await checkPage(page, 'head-irmm-meeting');
  });
});
