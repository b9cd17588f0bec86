import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, quietLog, randomMobile, Scenario, Staffer } from '../support/scenario';
import { WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const DAY_MS = 86_400_000;

/** The text of every element with this data-qa attribute, up to its first closing tag. */
function qaTexts(html: string, qa: string): string[] {
  return [...html.matchAll(new RegExp(`data-qa="${qa}"[^>]*>([\\s\\S]*?)</`, 'g'))].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** The items of every list with this data-qa attribute. */
function qaLists(html: string, qa: string): string[][] {
  return [...html.matchAll(new RegExp(`data-qa="${qa}"[^>]*>([\\s\\S]*?)</ul>`, 'g'))].map((m) =>
    [...m[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => li[1].trim()),
  );
}

/** The page's visible text (no tags, attributes or scripts), spaces collapsed. */
const words = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/** Codes as `humanise` wrote them, which a page must no longer show. */
const CODE_WORDING = /Mappa l1|\bMp\b|\bCcrc\b|None concern|A IMMEDIATE|NO_CONCERNS|Ex partner/;

describe('web: pages in plain words', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** The listener claims the next call and logs it with this body. */
  const claimAndLog = async (
    s: Scenario,
    listener: Staffer,
    body: (token: string) => Record<string, unknown>,
  ) => {
    const claimed = (await s.claim(listener).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listener.token))
      .send(body(claimed.claim.token))
      .expect(201);
  };

  async function renameStaff(who: Staffer, displayName: string) {
    await api.db.query(`UPDATE staff SET display_name = $1 WHERE username = $2`, [
      displayName,
      who.username,
    ]);
  }

  it('Listen and log: each reason once, "overdue by 4 weeks" in red, every choice and rule in words', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({
      mappaCategory: 1,
      mappaLevel: 3,
      roshLevel: 'VERY_HIGH',
      alertCodes: ['RDV'],
    });
    await s.contact(prisoner, {
      name: 'Zoe Evans',
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [randomMobile()],
    });
    await s.authorise(prisoner, { startsAt: new Date(Date.now() - 40 * DAY_MS).toISOString() });
    // Due at most a few days after it was made, so overdue by four whole weeks.
    const monthAgo = new Date(Date.now() - 33 * DAY_MS).toISOString();
    await s.ingestAndTriage([s.call(prisoner, { startedAt: monthAgo })]);
    const web = new WebClient(api);
    await web.signIn(listener);
    await web.get('/my-work');
    const claimed = await web.post('/my-work/claim');
    const id = /^\/calls\/([0-9a-f-]{36})\/listen$/.exec(claimed.headers.location)![1];

    const page = await web.get(`/calls/${id}/listen`);
    expect(page.status).toBe(200);
    const [reasons] = qaLists(page.text, 'priority-reasons');
    expect(reasons.filter((r) => r.startsWith('MAPPA level 3'))).toEqual([
      expect.stringMatching(/^MAPPA level 3 \(brought forward \d+ hours\)$/),
    ]);
    expect(page.text).toMatch(
      /<strong class="govuk-tag govuk-tag--red" data-qa="overdue">overdue by 4 weeks<\/strong>/,
    );
    const text = words(page.text);
    expect(text).toContain('Domestic abuse'); // the RDV alert's risk marker
    expect(text).toContain('Zoe Evans (Ex-partner)');
    expect(text).toContain('Victim');
    // The call's language by name, not its ISO code.
    expect(text).toContain('Language English');
    expect(text).not.toContain('Language en ');
    for (const choice of [
      'No concerns',
      'Threats to harm',
      'To kill',
      'Not identified',
      'Immediate',
    ])
      expect(text).toContain(choice);
    expect(text).not.toMatch(CODE_WORDING);

    // The log rules' messages, in the words of the choices on the page.
    const form = {
      'contact-contactId': 'not-on-list',
      'contact-relationship': 'EX_PARTNER',
      'contact-confidence': 'CONFIRMED',
      threatCount: 0,
      summary: 'Talked to his ex-partner about the children and a visit next week; calm.',
      recordingQuality: 'GOOD',
      action: 'submit',
    };
    const immediate = await web.post(`/calls/${id}/log`, {
      ...form,
      themes: ['NO_CONCERNS'],
      concernLevel: 'IMMEDIATE',
    });
    expect(immediate.status).toBe(400);
    expect(words(immediate.text)).toContain(
      'An immediate concern needs at least one theme saying what the concern is',
    );
    const mixed = await web.post(`/calls/${id}/log`, {
      ...form,
      themes: ['NO_CONCERNS', 'THREATS_TO_HARM'],
      concernLevel: 'LOW',
    });
    expect(mixed.status).toBe(400);
    expect(words(mixed.text)).toContain('“No concerns” cannot be selected with other themes');
    for (const res of [immediate, mixed]) expect(words(res.text)).not.toMatch(CODE_WORDING);
  });

  it('backlog, forecast and queue: numbers formatted, minutes with one decimal, breaches in red, listeners by name in natural order', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const listeners: Staffer[] = [];
    for (const name of ['Listener 10', 'Listener 2', 'Sam Jones', 'Listener 1', 'Sam Jones']) {
      const l = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
      await renameStaff(l, name);
      listeners.push(l);
    }
    const prisoner = await s.prisoner({ mappaCategory: 1, mappaLevel: 3 });
    const authorisation = await s.authorise(prisoner);
    await api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '1 day' WHERE id = $1`,
      [authorisation],
    );
    const tenDaysAgo = new Date(Date.now() - 10 * DAY_MS).toISOString();
    await s.ingestAndTriage([
      s.call(prisoner, { startedAt: tenDaysAgo }),
      s.call(prisoner, { startedAt: tenDaysAgo }),
      s.call(prisoner),
    ]);
    // One call heard and logged, so that the mean handling time is a fraction of a minute.
    const claimed = (await s.claim(listeners[0]).expect(200)).body as {
      call: { id: string };
      claim: { token: string };
    };
    await api.http
      .post(`/api/calls/${claimed.call.id}/log`)
      .set(bearer(listeners[0].token))
      .send(quietLog(claimed.claim.token))
      .expect(201);
    await api.db.query(
      `INSERT INTO backlog_snapshots (establishment_code, taken_at, pending, breached, by_tier, claimed,
                                      awaiting_translation, arrivals_24h, logs_24h)
       VALUES ($1, date_trunc('hour', now()) - interval '1 day', 1234, 7, '{}'::jsonb, 0, 0, 6, 4)`,
      [s.establishment],
    );
    const web = new WebClient(api);
    await web.signIn(head);

    const backlog = await web.get('/backlog');
    expect(backlog.status).toBe(200);
    const html = backlog.text;
    // Breached figures are red tags; a tier with none breached has no tag.
    const breachedTags = [
      ...html.matchAll(/govuk-tag--red" data-qa="tier-breached-tag-(P\d)"[\s\S]*?<\/strong>/g),
    ];
    expect(breachedTags.length).toBeGreaterThan(0);
    for (const [tag, tier] of breachedTags) {
      expect(tag).toMatch(/>\d+<\/span> past due time<\/strong>$/);
      expect(qaTexts(html, `tier-breached-${tier}`)).not.toEqual(['0']);
    }
    const trendTable = /data-qa="trend-table"[\s\S]*?<\/details>/.exec(html)![0];
    expect(trendTable).toContain('1,234');
    expect(trendTable).toContain('<strong class="govuk-tag govuk-tag--red">7</strong>');
    const flow = words(/data-qa="flow-figures"[\s\S]*?<\/dl>/.exec(html)![0]);
    expect(flow).toMatch(/Mean time to listen and log a call \d+\.\d minutes?/);
    expect(words(html)).not.toMatch(/\d\.\d{3,}/); // 0.11666666666666667
    // Display names in natural order; the username only beside the two who share a name.
    const sams = listeners.filter((_l, i) => i === 2 || i === 4).map((l) => l.username);
    const names = qaTexts(html, 'listener-name');
    expect(names.slice(0, 3)).toEqual(['Listener 1', 'Listener 2', 'Listener 10']);
    expect(names.slice(3).sort()).toEqual(sams.map((u) => `Sam Jones (${u})`).sort());
    expect(qaTexts(html, 'flag-type-MONITORING_REVIEW_OVERDUE')).toEqual([
      'Monitoring review overdue',
    ]);
    expect(words(html)).not.toMatch(CODE_WORDING);

    const flags = await web.get('/risk-flags');
    expect(words(flags.text)).toContain('Monitoring review overdue');
    expect(words(flags.text)).not.toMatch(CODE_WORDING);

    const forecast = await web.get('/backlog/forecast?listeners=3&hoursPerDay=4.5');
    expect(forecast.status).toBe(200);
    expect(words(forecast.text)).toMatch(/one call takes \d+\.\d minutes? on average/);
    expect(words(forecast.text)).not.toMatch(/\d\.\d{3,}/);

    // The queue: each reason once, and the call ten days old overdue by days, in red.
    const queue = await web.get('/queue');
    expect(queue.status).toBe(200);
    const lists = qaLists(queue.text, 'reasons');
    expect(lists.length).toBe(2);
    for (const list of lists) {
      expect(list.filter((r) => r.startsWith('MAPPA level 3'))).toHaveLength(1);
    }
    expect(qaTexts(queue.text, 'overdue')).toEqual([expect.stringMatching(/^overdue by \d days$/)]);
  });

  it('privileged numbers, the POM’s caseload and prisoner page: kinds, concerns and flags in words', async () => {
    const s = await Scenario.create(api);
    const manager = await s.staff(['SECURITY_MANAGER']);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    await api.http
      .post('/api/privileged-numbers')
      .set(bearer(manager.token))
      .send({
        phoneNumber: '02072193000',
        organisation: 'Constituency office',
        kind: 'MP',
        establishmentCode: s.establishment,
      })
      .expect(201);
    const prisoner = await s.prisoner({
      pomUsername: pom.username,
      mappaCategory: 1,
      mappaLevel: 1,
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    await claimAndLog(s, listener, quietLog);

    const security = new WebClient(api);
    await security.signIn(manager);
    const numbers = await security.get('/privileged-numbers');
    expect(numbers.status).toBe(200);
    expect(words(numbers.text)).toContain('Constituency office');
    expect(words(numbers.text)).toContain('Member of Parliament');
    expect(numbers.text).toMatch(
      /value="CCRC"[^>]*>\s*<label[^>]*>\s*Criminal Cases Review Commission/,
    );
    expect(words(numbers.text)).not.toMatch(CODE_WORDING);

    const web = new WebClient(api);
    await web.signIn(pom);
    const caseload = await web.get('/caseload');
    expect(caseload.status).toBe(200);
    expect(qaTexts(caseload.text, `last-log-${prisoner}`)[0]).toContain('No concern');
    expect(words(caseload.text)).not.toMatch(CODE_WORDING);
    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.status).toBe(200);
    expect(words(page.text)).toContain('No concerns');
    expect(words(page.text)).toContain('Telephone calls');
    expect(words(page.text)).not.toMatch(CODE_WORDING);
  });

  it('the POM’s caseload lists namesakes by first name, by default and where a sorted column ties', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const byFirstName: Record<string, string> = {};
    for (const firstName of ['Shannon', 'Chloe', 'Joanne'])
      byFirstName[firstName] = await s.prisoner({
        firstName,
        lastName: 'Ackroyd',
        pomUsername: pom.username,
      });
    const web = new WebClient(api);
    await web.signIn(pom);
    const order = (html: string) =>
      [...html.matchAll(/data-qa="prisoner-link-([A-Z0-9]+)"/g)].map((m) => m[1]);
    const expected = ['Chloe', 'Joanne', 'Shannon'].map((n) => byFirstName[n]);
    expect(order((await web.get('/caseload')).text)).toEqual(expected);
    expect(order((await web.get('/caseload?sort=unread&order=desc')).text)).toEqual(expected);
  });

  it('escalations: the signed-in POM appears by their display name, not their username', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    await renameStaff(pom, 'Priya Patel');
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    await claimAndLog(s, listener, highLogWithThreat);

    const web = new WebClient(api);
    await web.signIn(pom);
    const inbox = await web.get('/escalations');
    expect(inbox.status).toBe(200);
    const table = /data-qa="escalations-table"[\s\S]*?<\/table>/.exec(inbox.text)![0];
    expect(words(table)).toContain('Priya Patel');
    expect(table).not.toContain(pom.username);
    expect(words(table)).toContain('High concern');
    const id = /href="\/escalations\/([0-9a-f-]{36})"/.exec(table)![1];
    const one = await web.get(`/escalations/${id}`);
    const details = words(/data-qa="escalation-details"[\s\S]*?<\/dl>/.exec(one.text)![0]);
    expect(details).toContain('Assigned to Priya Patel');
    expect(details).not.toContain(pom.username);
  });
});
