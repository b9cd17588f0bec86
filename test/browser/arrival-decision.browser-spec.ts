/// <reference lib="dom" />
import { randomPrisonNumber, Scenario } from '../support/scenario';
import { bearer } from '../support/api';
import { SignInPage } from './pages/pages';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(120_000);

/**
 * The security manager decides on an arrival: a domestic-abuse prisoner transferred in is on the
 * Monitoring decisions page; she opens it, finds the request filled in from his markers, decides to
 * monitor, and the request waits for a second person's approval.
 */
describe('browser: security manager decides on an arrival', () => {
  const wb = useWorkbench();

  it('decides to monitor a prisoner transferred in, from the decisions page', async () => {
    const s = await Scenario.create(wb.server.api);
    const from = await Scenario.create(wb.server.api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = randomPrisonNumber();
    for (const establishmentCode of [from.establishment, s.establishment]) {
      await wb.server.api.http
        .put(`/api/prisoners/${prisoner}`)
        .set(bearer(s.adminToken))
        .send({
          firstName: 'Kevin',
          lastName: 'Smith',
          establishmentCode,
          alertCodes: ['RDV', 'ROH'],
        })
        .expect(200);
    }
    const { page } = wb.browser;
    const qa = (name: string) => page.locator(`[data-qa="${name}"]`);

    const signIn = await SignInPage.open(page, wb.server.baseUrl);
    await signIn.signInAs(security, SignInPage);
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Monitoring decisions', exact: true })
      .click();
    await page.waitForLoadState('load');
    await expect(qa('decisions').innerText()).resolves.toContain(
      `Transferred in from ${from.establishment} with: domestic abuse perpetrator (RDV), RoSH high`,
    );
    await checkPage(page, 'monitoring-decisions');

    await qa('decide-link').first().click();
    await page.waitForLoadState('load');
    await expect(qa('reason').innerText()).resolves.toContain('Transferred in from');
    // The request is filled in from his markers.
    await expect(page.locator('input[name="grounds"][value="CRIME"]').isChecked()).resolves.toBe(
      true,
    );
    await expect(
      page.locator('input[name="grounds"][value="PUBLIC_SAFETY"]').isChecked(),
    ).resolves.toBe(true);
    await checkPage(page, 'monitoring-decision');

    // Without a decision or reasons: the error summary names both.
    await qa('submit-decision').click();
    await page.waitForLoadState('load');
    await expect(qa('error-summary').innerText()).resolves.toContain('Select whether to monitor');
    await checkPage(page, 'monitoring-decision-errors');

    await page.locator('input[name="decision"][value="MONITOR"]').check();
    await page
      .locator('[name="rationale"]')
      .fill('Domestic abuse perpetrator, RoSH high; he has asked to call his former partner.');
    await qa('submit-decision').click();
    await page.waitForURL(/\/authorisations\/[0-9a-f-]{36}$/);
    await expect(qa('flash').innerText()).resolves.toContain(`(${prisoner}) is requested`);

    const rows: { status: string; decision: string; authorisation: string | null }[] =
      await wb.server.api.db.query(
        `SELECT d.status, d.decision, a.status AS authorisation FROM monitoring_decisions d
         LEFT JOIN monitoring_authorisations a ON a.id = d.authorisation_id
         WHERE d.prison_number = $1 AND d.establishment_code = $2`,
        [prisoner, s.establishment],
      );
    expect(rows).toEqual([{ status: 'DECIDED', decision: 'MONITOR', authorisation: 'REQUESTED' }]);
  });
});
