/// <reference lib="dom" />
import { randomMobile, Scenario } from '../support/scenario';
import { SignInPage } from './pages/pages';
import { PlanStaffingPage } from './pages/plan-staffing';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(180_000);

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Issue 15, item 6 as a head of OMU meets it in Chromium: Plan staffing from the navigation, a row
 * added, a mistake put right, the plan simulated on the prison's own calls; every state of the page
 * passes axe-core.
 */
describe('browser: Plan staffing', () => {
  const wb = useWorkbench();

  it('a head of OMU plans a shift on their own calls and reads the result', async () => {
    const s = await Scenario.create(wb.server.api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    const victim = randomMobile();
    await s.contact(prisoner, {
      relationship: 'EX_PARTNER',
      phoneNumbers: [victim],
      isVictim: true,
    });
    await s.authorise(prisoner);
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: victim, startedAt: `${day}T05:00:00.000Z` }),
      s.call(prisoner, { startedAt: `${day}T06:00:00.000Z` }),
    ]);

    const signIn = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signIn.signIn(head.username, head.password);
    await signIn.qa('signed-in-user').waitFor();
    const plan = await PlanStaffingPage.fromNavigation(wb.browser.page);
    await expect(plan.heading()).resolves.toBe('Plan staffing');
    await checkPage(wb.browser.page, 'head-plan-staffing');

    await plan.addRow();
    await expect(plan.rows()).resolves.toBe(3);

    const weekday = WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()];
    await plan.period(day, day);
    await plan.shift(0, { listeners: '1', start: '17:00', end: '09:00', days: [weekday] });
    await plan.fixedHandling('30', '0');
    await plan.simulate();
    await expect(plan.errorLinks()).resolves.toEqual(['#row-0-end']);
    await checkPage(wb.browser.page, 'head-plan-staffing-errors');

    await plan.shift(0, { listeners: '1', start: '09:00', end: '17:00', days: [weekday] });
    await plan.simulate();
    await expect(plan.summary()).resolves.toMatch(
      /^With this plan 100% of P1 calls are heard within 24 hours \(FIFO: 100%; MAPPA level: 100%\)/,
    );
    await expect(plan.qa('backlog-chart').locator('svg[role="img"]').count()).resolves.toBe(1);
    await checkPage(wb.browser.page, 'head-plan-staffing-result');
  });
});
