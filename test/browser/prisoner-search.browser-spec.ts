/// <reference lib="dom" />
import { Scenario, Staffer } from '../support/scenario';
import { SignInPage } from './pages/pages';
import { PrisonerSearch } from './pages/prisoner-search';
import { checkPage, useWorkbench } from './support/browser';

jest.setTimeout(180_000);

/**
 * Issue 20, item 2 in Chromium: each role that has the prisoner page finds a prisoner from the
 * header, by name or number, with the keyboard, on a wide and a 375 px screen; a listener has no
 * box. Every page met passes axe-core's WCAG 2.2 AA rules.
 */
describe('browser: find a prisoner from the header', () => {
  const wb = useWorkbench();
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world();
  });

  async function world() {
    const s = await Scenario.create(wb.server.api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    const zoe = await s.prisoner({
      firstName: 'Zoë',
      lastName: 'Quartermaine',
      pomUsername: pom.username,
    });
    const zack = await s.prisoner({ firstName: 'Zack', lastName: 'Quartermaine' });
    await s.authorise(zoe, {}, { requester: security, approver: head });
    return { s, pom, head, security, listener, zoe, zack };
  }

  async function signIn(user: Pick<Staffer, 'username' | 'password'>): Promise<PrisonerSearch> {
    const page = await SignInPage.open(wb.browser.page, wb.server.baseUrl);
    await page.signInAs(user, SignInPage);
    return new PrisonerSearch(wb.browser.page);
  }

  it.each(['POM', 'head of OMU', 'security manager'] as const)(
    'a %s finds a prisoner by name, then by number',
    async (role) => {
      const user = { POM: w.pom, 'head of OMU': w.head, 'security manager': w.security }[role];
      const search = await signIn(user);
      await search.fromHeader('quarter zoe');
      expect(search.path()).toBe('/prisoners/search');
      await expect(search.rows()).resolves.toEqual([
        `Quartermaine, Zoë | ${w.zoe} | HMP Test ${w.s.establishment} | Monitored`,
      ]);
      await checkPage(wb.browser.page, `prisoner-search-${role.replace(/ /g, '-').toLowerCase()}`);
      await search.again('QUARTERMAINE');
      await expect(search.rows()).resolves.toEqual([
        `Quartermaine, Zack | ${w.zack} | HMP Test ${w.s.establishment} | Not monitored`,
        `Quartermaine, Zoë | ${w.zoe} | HMP Test ${w.s.establishment} | Monitored`,
      ]);
      await search.open('Quartermaine, Zack');
      expect(search.path()).toBe(`/prisoners/${w.zack}`);
      await search.fromHeader(w.zoe.toLowerCase());
      expect(search.path()).toBe(`/prisoners/${w.zoe}`);
    },
  );

  it('nobody matching, and a search too long, say so; the box fits a 375 px screen', async () => {
    await wb.browser.page.setViewportSize({ width: 375, height: 812 });
    try {
      const search = await signIn(w.pom);
      await expect(search.headerBox().isVisible()).resolves.toBe(true);
      await expect(search.overflow()).resolves.toBe(0);
      await checkPage(wb.browser.page, 'prisoner-search-header-narrow');
      await search.fromHeader('Nobody Byethisname');
      await expect(search.qa('search-none').innerText()).resolves.toBe(
        'No prisoner matches Nobody Byethisname.',
      );
      await checkPage(wb.browser.page, 'prisoner-search-none-narrow');
      await search.again('x'.repeat(101));
      await expect(search.errorLinks()).resolves.toEqual([
        { text: 'Search must be 100 characters or fewer', href: '#q' },
      ]);
      await expect(search.overflow()).resolves.toBe(0);
      await checkPage(wb.browser.page, 'prisoner-search-too-long-narrow');
    } finally {
      await wb.browser.page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('a listener has no box', async () => {
    const search = await signIn(w.listener);
    await expect(search.page.locator('[data-qa="signed-in-user"]').isVisible()).resolves.toBe(true);
    await expect(search.headerSearch().count()).resolves.toBe(0);
  });
});
