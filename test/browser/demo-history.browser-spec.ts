/// <reference lib="dom" />
import { Client } from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { buildDemoWorld, DEMO_PASSWORD, demoWorldOptions } from '../../src/demo/demo-world';
import { seedDemo } from '../../src/demo/seed-demo';
import { BASE_DATABASE_URL, databaseUrlFor } from '../support/test-env';
import { BacklogPage, CaseloadPage, SignInPage } from './pages/pages';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(240_000);

const database = `${process.env.TEST_DATABASE_NAME}_demo_web`;
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const DAYS = 8;

/**
 * Issue 19, item 5, as the head of OMU and a POM meet it: the demo's dashboards open on a history
 * (a smaller world than `npm run demo`'s, on a database of its own, played the same way).
 */
describe('browser: the demo opens on a month of history', () => {
  beforeAll(async () => {
    const admin = new Client({ connectionString: BASE_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    await runMigrations({ DATABASE_URL: databaseUrlFor(database) });
  });

  const wb = useWorkbench({ DATABASE_URL: databaseUrlFor(database) });
  const world = buildDemoWorld({
    ...demoWorldOptions(20261127, NOW),
    establishments: [{ code: 'NHI', name: 'HMP New Hall', prisoners: 200, population: 'FEMALE' }],
    days: DAYS,
  });

  beforeAll(async () => {
    await seedDemo(wb.server.api.app, world, () => undefined);
  });

  it('shows the head of OMU a backlog trend over the days played, one row a day', async () => {
    const { page } = wb.browser;
    await (await SignInPage.open(page, wb.server.baseUrl)).signIn('head1', DEMO_PASSWORD);
    await page.goto(`${wb.server.baseUrl}/backlog`);
    const backlog = new BacklogPage(page);
    const rows = backlog.qa('trend-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(DAYS);
    const description = await backlog.qa('trend-chart').locator('desc, title').allInnerTexts();
    expect(description.join(' ')).not.toMatch(/No snapshots/);
    // A line with a point an hour, not a single point.
    const points = await backlog
      .qa('trend-chart')
      .locator('polyline')
      .first()
      .getAttribute('points');
    expect(points!.split(' ').length).toBeGreaterThanOrEqual((DAYS - 1) * 24);
    await checkPage(page, 'demo-history-backlog');
  });

  it('shows a POM a caseload with logs read and some still unread', async () => {
    const { page } = wb.browser;
    const pom = world.staff.find((s) => s.roles.includes('POM'))!;
    await (await SignInPage.open(page, wb.server.baseUrl)).signIn(pom.username, DEMO_PASSWORD);
    await page.goto(`${wb.server.baseUrl}/caseload`);
    const caseload = new CaseloadPage(page);
    const unread = (await page.locator('[data-qa^="unread-"]').allInnerTexts()).map((t) =>
      Number(t.replace(/,/g, '')),
    );
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await checkPage(caseload.page, 'demo-history-caseload');
  });
});
