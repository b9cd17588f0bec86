import { bearer, startApi, TestApi } from '../support/api';
import { quietLog, Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

interface Claimed {
  call: { id: string };
  claim: { token: string };
}

/** The prisoners' names in the caseload table, in the order shown ("Casey07"). */
const shownNames = (html: string) =>
  [...html.matchAll(/data-qa="prisoner-link-[^"]+"[^>]*>([^,<]+),/g)].map((m) => m[1]);

/** The "Showing 1 to 25 of 30 prisoners" line, as text. */
const countText = (html: string) =>
  /data-qa="caseload-count"[^>]*>([\s\S]*?)<\/p>/
    .exec(html)?.[1]
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim() ?? null;

/** The hrefs of the GOV.UK pagination's links, unescaped. */
const pageLinks = (html: string) =>
  [
    ...(/<nav class="govuk-pagination"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(
      /href="([^"]+)"/g,
    ),
  ].map((m) => m[1].replace(/&amp;/g, '&'));

const needsMe = (html: string) =>
  /data-qa="needs-me"[^>]*>([\s\S]*?)<\/p>/
    .exec(html)?.[1]
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim() ?? null;

const name = (i: number) => `Casey${String(i).padStart(2, '0')}`;

describe('web: a POM’s caseload of 30, counted, filtered and paged', () => {
  let api: TestApi;
  let web: WebClient;
  let pom: Staffer;
  const prisoners: string[] = [];

  /**
   * Casey01 … Casey30 on one POM's caseload. Casey03, Casey04 and Casey06 are monitored; Casey03 and
   * Casey04 each have a log the POM has not read; Casey10 has an open escalation and Casey11 an
   * overdue one.
   */
  beforeAll(async () => {
    api = await startApi();
    const s = await Scenario.create(api);
    pom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    for (let i = 1; i <= 30; i++) {
      prisoners[i] = await s.prisoner({
        firstName: 'Kim',
        lastName: name(i),
        pomUsername: pom.username,
      });
    }
    for (const i of [3, 4, 6]) {
      await s.authorise(prisoners[i], {}, { requester: security, approver: head });
    }
    await s.ingestAndTriage([s.call(prisoners[3]), s.call(prisoners[4])]);
    for (let n = 0; n < 2; n++) {
      const claimed = (await s.claim(listener).expect(200)).body as Claimed;
      await api.http
        .post(`/api/calls/${claimed.call.id}/log`)
        .set(bearer(listener.token))
        .send(quietLog(claimed.claim.token))
        .expect(201);
    }
    for (const i of [10, 11]) {
      await api.http
        .post(`/api/prisoners/${prisoners[i]}/escalations`)
        .set(bearer(head.token))
        .send({ target: 'POM', reason: `A worry about ${name(i)}` })
        .expect(201);
    }
    // A manual escalation is due at once: Casey10's is given a day, Casey11's is an hour late.
    await api.db.query(
      `UPDATE escalations SET due_at = now() + interval '1 day' WHERE prison_number = $1`,
      [prisoners[10]],
    );
    await api.db.query(
      `UPDATE escalations SET due_at = now() - interval '1 hour' WHERE prison_number = $1`,
      [prisoners[11]],
    );
    web = new WebClient(api);
    await web.signIn(pom);
  });

  afterAll(async () => {
    await api.close();
  });

  it('shows 25 at a time, those needing the POM first, and says how many there are', async () => {
    const page = await web.get('/caseload');
    expect(page.status).toBe(200);
    expect(countText(page.text)).toBe('Showing 1 to 25 of 30 prisoners');
    const names = shownNames(page.text);
    expect(names).toHaveLength(25);
    // Overdue escalation, then open escalation, then unread logs, then the rest by name.
    expect(names.slice(0, 6)).toEqual([name(11), name(10), name(3), name(4), name(1), name(2)]);
    expect(page.text).toContain('<nav class="govuk-pagination"');
    expect(pageLinks(page.text)).toContain('/caseload?page=2');
    // Paged, the table sorts on the server (MoJ's in-page sort would sort one page only).
    expect(page.text).not.toContain('data-module="moj-sortable-table"');

    const second = await web.get('/caseload?page=2');
    expect(second.status).toBe(200);
    expect(countText(second.text)).toBe('Showing 26 to 30 of 30 prisoners');
    expect(shownNames(second.text)).toEqual([name(26), name(27), name(28), name(29), name(30)]);
    expect(pageLinks(second.text)).toContain('/caseload');

    // Reading a page audits the prisoners it showed, not the whole caseload.
    const [audit] = await api.db.query<{ subjectIds: string[] }[]>(
      `SELECT subject_ids AS "subjectIds" FROM audit_events
        WHERE username = $1 AND action = 'PRISONER_READ' ORDER BY id DESC LIMIT 1`,
      [pom.username],
    );
    expect([...audit.subjectIds].sort()).toEqual(
      [26, 27, 28, 29, 30].map((i) => prisoners[i]).sort(),
    );
  });

  it('filters by name or prison number, and by what needs the POM, with truthful counts', async () => {
    const all = await web.get('/caseload');
    const byName = await web.get('/caseload?search=casey07');
    expect(byName.status).toBe(200);
    expect(shownNames(byName.text)).toEqual([name(7)]);
    expect(countText(byName.text)).toBe(
      'Showing 1 to 1 of 1 prisoner matching your filters (30 on your caseload)',
    );
    expect(byName.text).toMatch(
      /<input\s+class="govuk-input[^"]*" id="search" name="search"[^>]*value="casey07"/,
    );
    // One page of results: no pagination, and MoJ's sortable table may sort it in the page.
    expect(byName.text).not.toContain('<nav class="govuk-pagination"');
    expect(byName.text).toContain('data-module="moj-sortable-table"');
    // First and last name in either order, and the prison number.
    expect(shownNames((await web.get('/caseload?search=Kim+Casey08')).text)).toEqual([name(8)]);
    expect(shownNames((await web.get(`/caseload?search=${prisoners[9]}`)).text)).toEqual([name(9)]);
    const none = await web.get('/caseload?search=nobody');
    expect(none.status).toBe(200);
    expect(none.text).toContain('No prisoners on your caseload match your filters');

    const unread = await web.get('/caseload?unread=yes');
    expect(shownNames(unread.text)).toEqual([name(3), name(4)]);
    expect(countText(unread.text)).toBe(
      'Showing 1 to 2 of 2 prisoners matching your filters (30 on your caseload)',
    );
    expect(unread.text).toMatch(/name="unread" type="checkbox" value="yes" checked/);
    expect(shownNames((await web.get('/caseload?overdue=yes')).text)).toEqual([name(11)]);
    expect(shownNames((await web.get('/caseload?monitored=yes')).text)).toEqual([
      name(3),
      name(4),
      name(6),
    ]);
    expect(shownNames((await web.get('/caseload?monitored=yes&search=casey06')).text)).toEqual([
      name(6),
    ]);
    // Each filter says how many on the whole caseload it would show, whatever is filtered now.
    for (const html of [all.text, unread.text]) {
      expect(html).toMatch(/Only with unread logs \(2\)/);
      expect(html).toMatch(/Only with overdue escalations \(1\)/);
      expect(html).toMatch(/Only monitored \(3\)/);
    }
    // The summary of escalations and the header's "Needs you" are the whole caseload's.
    expect(needsMe(unread.text)).toBe(needsMe(all.text));
    expect(needsMe(unread.text)).toBe('Needs you: 2 open escalations');
    expect(unread.text).toMatch(/data-qa="inbox-new"[^>]*>2 new</);
  });

  it('keeps the sort and the filters across pages, and the filters across sorts', async () => {
    const desc = await web.get('/caseload?sort=name&order=desc');
    expect(shownNames(desc.text).slice(0, 2)).toEqual([name(30), name(29)]);
    expect(pageLinks(desc.text)).toContain('/caseload?sort=name&order=desc&page=2');
    const second = await web.get('/caseload?sort=name&order=desc&page=2');
    expect(shownNames(second.text)).toEqual([name(5), name(4), name(3), name(2), name(1)]);
    expect(second.text).toMatch(/aria-sort="descending"[^>]*>\s*<a [^>]*data-qa="sort-name"/);
    // A heading's link keeps the filters and starts again at page 1.
    expect(second.text).toContain('href="/caseload?sort=name&amp;order=asc" data-qa="sort-name"');
    const filtered = await web.get('/caseload?search=casey&sort=name&order=desc&page=2');
    expect(shownNames(filtered.text)).toEqual([name(5), name(4), name(3), name(2), name(1)]);
    expect(pageLinks(filtered.text)).toContain('/caseload?search=casey&sort=name&order=desc');
    expect(filtered.text).toContain(
      'href="/caseload?search=casey&amp;sort=unread&amp;order=desc" data-qa="sort-unread"',
    );
    // The filter form carries the sort, so that applying a filter keeps it.
    expect(filtered.text).toMatch(/<input type="hidden" name="sort" value="name">/);
    expect(filtered.text).toMatch(/<input type="hidden" name="order" value="desc">/);
  });

  it('treats a nonsense page as the first, a page past the end as the last, and refuses a too-long search with a 400', async () => {
    for (const page of ['abc', '0', '-1', '1.5', '99999999999']) {
      const res = await web.get(`/caseload?page=${page}`);
      expect(res.status).toBe(200);
      expect(countText(res.text)).toBe('Showing 1 to 25 of 30 prisoners');
    }
    const past = await web.get('/caseload?sort=name&page=7');
    expect(past.status).toBe(302);
    expect(past.headers.location).toBe('/caseload?sort=name&order=asc&page=2');
    // Repeated or odd values are the defaults too.
    expect((await web.get('/caseload?page=2&page=3&sort[]=x&order=up&unread=no')).status).toBe(200);

    const long = await web.get(`/caseload?search=${'x'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(errorSummaryLinks(long.text)).toEqual(['#search']);
    expect(long.text).toContain('Name or prison number must be 100 characters or fewer');
    expect(long.text).toContain('data-qa="caseload-heading"');
  });
});
