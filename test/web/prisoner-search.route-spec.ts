import { startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** The markup of the search results table (empty when the page has none). */
const results = (html: string): string =>
  /data-qa="search-results"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';

/**
 * Prisoner search from the header (issue 20, item 2): a prison number the user may see opens the
 * prisoner's page, a name lists the prisoners of the user's establishments, and the search is
 * audited as a read of those it showed.
 */
describe('web: find a prisoner', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * At one establishment: Seán O'Brien (monitored) and Sean Smith; at another, Seána O'Brien, whom
   * nobody here may see.
   */
  async function world() {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    const obrien = await s.prisoner({ firstName: 'Seán', lastName: "O'Brien" });
    const smith = await s.prisoner({ firstName: 'Sean', lastName: 'Smith' });
    await s.authorise(obrien, {}, { requester: security, approver: head });
    const elsewhere = await Scenario.create(api);
    const stranger = await elsewhere.prisoner({ firstName: 'Seána', lastName: "O'Brien" });
    const signedIn = async (who: Staffer) => {
      const web = new WebClient(api);
      await web.signIn(who);
      return web;
    };
    return { s, pom, head, security, listener, obrien, smith, stranger, signedIn };
  }

  it('every page of those who may open a prisoner has the box; a listener’s or an administrator’s has none', async () => {
    const { pom, head, security, listener, signedIn } = await world();
    for (const [who, page] of [
      [pom, '/caseload'],
      [head, '/queue'],
      [security, '/audit'],
    ] as const) {
      const res = await (await signedIn(who)).get(page);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        /<form method="get" action="\/prisoners\/search"[^>]*role="search"[^>]*data-qa="header-search"/,
      );
      expect(res.text).toContain(
        '<label class="govuk-label govuk-label--s govuk-!-margin-bottom-1" for="header-search">Find a prisoner</label>',
      );
    }
    const asListener = await signedIn(listener);
    const work = await asListener.get('/my-work');
    expect(work.status).toBe(200);
    expect(work.text).not.toContain('data-qa="header-search"');
    const refused = await asListener.get('/prisoners/search?q=Smith');
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('data-qa="header-search"');

    // An administrator (national, but with no prisoner page in the workbench): the same.
    const asAdmin = await signedIn({
      username: process.env.ADMIN_USERNAME!,
      password: process.env.ADMIN_PASSWORD!,
      token: '',
    });
    const staffPage = await asAdmin.get('/staff');
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).not.toContain('data-qa="header-search"');
    expect((await asAdmin.get('/prisoners/search?q=Smith')).status).toBe(403);
  });

  it('an exact prison number, in any case and with spaces, opens the prisoner’s page', async () => {
    const { pom, smith, signedIn } = await world();
    const web = await signedIn(pom);
    const typed = ` ${smith.toLowerCase().slice(0, 5)} ${smith.toLowerCase().slice(5)} `;
    const res = await web.get(`/prisoners/search?q=${encodeURIComponent(typed)}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/prisoners/${smith}`);
  });

  it('a name lists the prisoners of the user’s establishments only, accents and case aside', async () => {
    const { head, obrien, smith, stranger, signedIn } = await world();
    const web = await signedIn(head);
    const sean = await web.get('/prisoners/search?q=SEAN');
    expect(sean.status).toBe(200);
    const table = results(sean.text);
    expect(table).toContain(`href="/prisoners/${obrien}">O&#39;Brien, Seán</a>`);
    expect(table).toContain(`href="/prisoners/${smith}">Smith, Sean</a>`);
    expect(table).not.toContain(stranger);
    expect(table).toMatch(new RegExp(`${obrien}[\\s\\S]*HMP Test [A-Z]{3}[\\s\\S]*Monitored`));
    expect(table).toMatch(new RegExp(`${smith}[\\s\\S]*Not monitored`));

    // Both words, either order; a last name's prefix alone.
    const both = results(
      (await web.get(`/prisoners/search?q=${encodeURIComponent("o'bri  seá")}`)).text,
    );
    expect(both).toContain(obrien);
    expect(both).not.toContain(smith);
    expect(results((await web.get('/prisoners/search?q=smi')).text)).toContain(smith);
    // LIKE's wildcards are letters like any other.
    const wild = await web.get('/prisoners/search?q=%25');
    expect(wild.text).toContain('data-qa="search-none"');
  });

  it('another establishment’s prisoner is not found, by number or by name', async () => {
    const { security, stranger, signedIn } = await world();
    const web = await signedIn(security);
    const byNumber = await web.get(`/prisoners/search?q=${stranger}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.text).toContain(`No prisoner matches <strong>${stranger}</strong>`);
    const byName = await web.get('/prisoners/search?q=Se%C3%A1na');
    expect(byName.text).toContain('No prisoner matches <strong>Seána</strong>');
    expect(byName.text).not.toContain(stranger);
  });

  it('too long a search is a 400 with the field’s error; an empty one asks for a search', async () => {
    const { pom, signedIn } = await world();
    const web = await signedIn(pom);
    const long = await web.get(`/prisoners/search?q=${'a'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(errorSummaryLinks(long.text)).toEqual(['#q']);
    expect(long.text).toContain('Search must be 100 characters or fewer');
    expect(long.text).toMatch(/<p id="q-error" class="govuk-error-message">/);
    const empty = await web.get('/prisoners/search?q=+');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter a prison number or a name');
    const blank = await web.get('/prisoners/search');
    expect(blank.status).toBe(200);
    expect(blank.text).not.toContain('govuk-error-summary');
  });

  it('is audited as a read of the prisoners it showed, naming the search', async () => {
    const { s, head, obrien, smith, signedIn } = await world();
    const web = await signedIn(head);
    await web.get('/prisoners/search?q=sean');
    const rows: {
      subjectIds: string[];
      details: Record<string, unknown>;
      establishment: string;
    }[] = await api.db.query(
      `SELECT subject_ids AS "subjectIds", details, trim(establishment_code) AS establishment
         FROM audit_events WHERE username = $1 AND action = 'PRISONER_READ'`,
      [head.username],
    );
    expect(rows).toHaveLength(1);
    expect([...rows[0].subjectIds].sort()).toEqual([obrien, smith].sort());
    expect(rows[0].details).toMatchObject({ via: 'prisoner-search', count: 2, query: 'sean' });
    expect(rows[0].establishment).toBe(s.establishment);
  });
});
