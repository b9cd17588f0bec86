/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { bearer } from '../support/api';
import { randomMobile, Scenario, Staffer } from '../support/scenario';
import { MyWorkPage, SignInPage } from './pages/pages';
import { expectAccessible, screenshot, useWorkbench } from './support/browser';

jest.setTimeout(300_000);

/** An iPhone SE / small Android phone: the narrowest screen every page must fit. */
const NARROW = { width: 375, height: 812 };
const WIDE = { width: 1366, height: 900 };
/** Pages one role reaches, at most (a bound on the crawl below, not a target). */
const MAX_PAGES = 40;

/**
 * Issue 19 item 4, "Works on every screen": every page each role has, at 375 px wide, fits the
 * screen without the page scrolling sideways (a wide table scrolls inside its own box) and passes
 * axe-core's WCAG 2.2 AA rules there. Each role's pages are found as a person finds them: from the
 * service navigation, following the links on each page, one page for each kind of address.
 */
describe('browser: every page fits a 375 px wide screen', () => {
  const wb = useWorkbench();
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world();
    await wb.browser.page.setViewportSize(NARROW);
  });

  /**
   * A monitored prisoner with a POM, contacts, a logged call with a threat (escalations, an IRMM
   * item, a log) and a call still waiting; a second, unmonitored prisoner; staff of each role.
   */
  async function world() {
    const s = await Scenario.create(wb.server.api);
    const listener = await s.staff(['LISTENER'], {
      trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'],
    });
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
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
    await s.prisoner({ roshLevel: 'MEDIUM', pomUsername: pom.username });
    await s.authorise(prisoner);
    // Four calls: one logged below, one the listener takes in the browser, two left in the queue.
    await s.ingestAndTriage([
      s.call(prisoner, { startedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }),
      s.call(prisoner, { startedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }),
      s.call(prisoner, { startedAt: new Date(Date.now() - 3_600_000).toISOString() }),
      s.call(prisoner),
    ]);
    const claimed = await s.claim(listener).expect(200);
    const { call, claim } = claimed.body as { call: { id: string }; claim: { token: string } };
    await wb.server.api.http
      .post(`/api/calls/${call.id}/log`)
      .set(bearer(listener.token))
      .send({
        token: claim.token,
        contact: { relationship: 'EX_PARTNER', confidence: 'PROBABLE' },
        themes: [{ code: 'THREATS_TO_HARM' }],
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
    const admin = { username: process.env.ADMIN_USERNAME!, password: process.env.ADMIN_PASSWORD! };
    return { s, listener, pom, head, security, admin, prisoner, loggedCallId: call.id };
  }

  async function signIn(user: Pick<Staffer, 'username' | 'password'>) {
    const signInPage = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await signInPage.signInAs(user, SignInPage);
  }

  /**
   * What sticks out past the right edge of the screen, outside a scroll box of its own: nothing when
   * the page does not scroll sideways; otherwise the first few culprits, to say where to look.
   */
  async function overflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const scrollWidth = document.documentElement.scrollWidth;
      const culprits: string[] = [];
      if (scrollWidth <= width) return { scrollWidth, culprits };
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        // Inside a table's own scroll box is fine, unless it escapes the box.
        const box = el.closest('.app-table-scroll');
        if (
          box &&
          box !== el &&
          el.getBoundingClientRect().left < box.getBoundingClientRect().right
        )
          continue;
        // Past the edge itself, or holding what is (a long word overflows its box, not the box).
        const right = el.getBoundingClientRect().right;
        const spills =
          el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible';
        if (right > width + 0.5 || (spills && right + el.scrollWidth - el.clientWidth > width)) {
          const qa = el.getAttribute('data-qa');
          culprits.push(
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${qa ? `[data-qa=${qa}]` : ''}.${Array.from(el.classList).join('.')} (${Math.round(right)} px, content ${el.scrollWidth} px)`,
          );
        }
        if (culprits.length >= 8) break;
      }
      return { scrollWidth, culprits };
    });
  }

  /** `/prisoners/A1234BC/com` → `/prisoners/:id/com`: one page of each kind is enough. */
  const kindOf = (path: string) =>
    path
      .split('/')
      .map((part) => (/\d/.test(part) ? ':id' : part))
      .join('/');

  /**
   * Paths the crawl leaves alone: they are not pages (a recording, a PDF download, a sign-out) or not
   * this role's.
   */
  const NOT_PAGES = /^\/(assets|api|health|calls\/[^/]+\/recording|sign-out)(\/|$)|\/pdf$/;

  /**
   * From `start`, each page a link leads to on this site (one per kind of address, at most
   * MAX_PAGES): it must answer 200, fit 375 px and pass axe. Returns the kinds visited.
   */
  async function crawl(role: string, start: string[]) {
    const { page } = wb.browser;
    const origin = wb.server.baseUrl;
    const seen = new Set<string>();
    const todo = [...start];
    const failures: string[] = [];
    while (todo.length && seen.size < MAX_PAGES) {
      const path = todo.shift()!;
      const kind = kindOf(new URL(path, origin).pathname);
      if (seen.has(kind)) continue;
      seen.add(kind);
      const res = await page.goto(`${origin}${path}`);
      await page.waitForLoadState('load');
      if (res?.status() !== 200) {
        failures.push(`${path}: answered ${res?.status()}`);
        continue;
      }
      const { scrollWidth, culprits } = await overflow(page);
      if (scrollWidth > NARROW.width)
        failures.push(`${path}: ${scrollWidth} px wide, past the edge: ${culprits.join(', ')}`);
      try {
        await expectAccessible(page, `${role} ${path} at 375 px`);
      } catch (err) {
        failures.push(`${path}: ${(err as Error).message.split('\n').slice(0, 12).join(' ')}`);
      }
      const links = await page.$$eval('a[href]', (as) =>
        as.map((a) => (a as HTMLAnchorElement).href),
      );
      for (const href of links) {
        const url = new URL(href);
        if (url.origin !== origin || NOT_PAGES.test(url.pathname)) continue;
        todo.push(`${url.pathname}${url.search}`);
      }
    }
    return { seen: [...seen], failures };
  }

  it('signed out: sign-in, the accessibility statement and the privacy notice', async () => {
    const { seen, failures } = await crawl('signed out', [
      '/sign-in',
      '/accessibility',
      '/privacy',
    ]);
    expect(failures).toEqual([]);
    expect(seen).toEqual(expect.arrayContaining(['/sign-in', '/accessibility', '/privacy']));
  });

  it('the listener: My work and the listening desk', async () => {
    await signIn(w.listener);
    const { page } = wb.browser;
    const { seen, failures } = await crawl('listener', [
      '/my-work',
      `/calls/${w.loggedCallId}/logged`,
    ]);
    expect(seen).toEqual(expect.arrayContaining(['/my-work']));
    // The 404 page.
    const missing = await page.goto(`${wb.server.baseUrl}/no-such-page`);
    expect(missing?.status()).toBe(404);
    expect(await overflow(page)).toEqual({ scrollWidth: NARROW.width, culprits: [] });
    // The listening desk, as the listener reaches it: taking the next call.
    await page.goto(`${wb.server.baseUrl}/my-work`);
    await new MyWorkPage(page).listenToNextCall();
    const desk = await overflow(page);
    expect({ desk: desk.scrollWidth <= NARROW.width, culprits: desk.culprits }).toEqual({
      desk: true,
      culprits: [],
    });
    await expectAccessible(page, 'listener listening desk at 375 px');
    expect(failures).toEqual([]);
  });

  it('the POM: caseload, prisoner, log, escalations and the COM form', async () => {
    await signIn(w.pom);
    const { seen, failures } = await crawl('POM', [
      '/caseload',
      '/escalations',
      `/prisoners/${w.prisoner}/com`,
    ]);
    expect(seen).toEqual(
      expect.arrayContaining(['/caseload', '/escalations', '/prisoners/:id', '/logs/:id']),
    );
    expect(failures).toEqual([]);
    // MoJ Frontend's sortable table runs under the CSP: the heading links became buttons that sort.
    const { page } = wb.browser;
    await page.goto(`${wb.server.baseUrl}/caseload`);
    const table = page.locator('[data-qa="caseload-table"]');
    await table.getByRole('button', { name: 'Unread logs' }).click();
    await expect(
      table.locator('th', { hasText: 'Unread logs' }).getAttribute('aria-sort'),
    ).resolves.toBe('ascending');
    await expect(page.getByRole('status').last().innerText()).resolves.toBe(
      'Sort by Unread logs (ascending)',
    );
  });

  it('the head of OMU: backlog, forecast, queue, IRMM, staffing, risk flags and reviews', async () => {
    await signIn(w.head);
    const { page } = wb.browser;
    const { seen, failures } = await crawl('head of OMU', [
      '/backlog',
      '/backlog/forecast?listeners=3&hoursPerDay=6',
      '/queue',
      '/irmm',
      '/plan-staffing',
      '/risk-flags',
      '/authorisations/reviews',
      '/monitoring-decisions',
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        '/backlog',
        '/backlog/forecast',
        '/queue',
        '/irmm',
        '/plan-staffing',
      ]),
    );
    expect(failures).toEqual([]);
    // The queue at both widths, to look at (test/browser/screenshots).
    await page.goto(`${wb.server.baseUrl}/queue`);
    await screenshot(page, 'queue-375');
    await page.setViewportSize(WIDE);
    await page.goto(`${wb.server.baseUrl}/queue`);
    await screenshot(page, 'queue-1366');
    await page.setViewportSize(NARROW);
  });

  it('the security manager: authorisations, monitoring decisions, privileged numbers and audit', async () => {
    await signIn(w.security);
    const { seen, failures } = await crawl('security manager', [
      '/authorisations',
      '/monitoring-decisions',
      '/privileged-numbers',
      '/audit',
      '/queue',
    ]);
    expect(seen).toEqual(
      expect.arrayContaining(['/authorisations', '/authorisations/:id', '/privileged-numbers']),
    );
    expect(failures).toEqual([]);
  });

  it('the administrator: staff and a trainings form', async () => {
    await signIn(w.admin);
    const { seen, failures } = await crawl('administrator', [
      `/staff?establishment=${w.s.establishment}`,
      `/staff/${w.listener.username}/trainings`,
    ]);
    expect(seen).toEqual(expect.arrayContaining(['/staff']));
    expect(failures).toEqual([]);
  });
});
