import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const TIERS = ['P1', 'P2', 'P3', 'P4'] as const;

/** Day, month, year and hh:mm of a London wall-clock time, as the meeting form takes them. */
function londonParts(at: Date) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const part = (t: string) => parts.find((p) => p.type === t)!.value;
  return {
    'heldAt-day': part('day'),
    'heldAt-month': part('month'),
    'heldAt-year': part('year'),
    'heldAt-time': `${part('hour')}:${part('minute')}`,
  };
}

/** The text of every element with this data-qa attribute, tags stripped. */
function qaTexts(html: string, qa: string): string[] {
  return [...html.matchAll(new RegExp(`data-qa="${qa}"[^>]*>([\\s\\S]*?)</`, 'g'))].map((m) =>
    m[1].replace(/<[^>]+>/g, '').trim(),
  );
}

/** Each prisoner link with this data-qa, as "name (number under it)". */
function prisonerLinks(html: string, qa: string): string[] {
  return [
    ...html.matchAll(
      new RegExp(
        `data-qa="${qa}"[^>]*>([^<]*)</a><br><span class="govuk-body-s">([^<]*)</span>`,
        'g',
      ),
    ),
  ].map((m) => `${m[1]} (${m[2]})`);
}

/** The scenario's prisoners are "Test Prisoner<n>": each by name, then the number. */
const byName = (prisonNumber: string) =>
  expect.stringMatching(new RegExp(`^Prisoner\\d+, Test \\(${prisonNumber}\\)$`));

describe('web: the head of offender management’s pages', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * Two monitored prisoners with waiting calls (one prisoner's two days old), a HIGH log with a
   * threat on the first call claimed (so its prisoner is on the IRMM agenda and lifted to P1), an
   * authorisation made overdue for review, three days of backlog snapshots, and a head signed in.
   */
  async function world() {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const first = await s.prisoner({ pomUsername: pom.username });
    const second = await s.prisoner({ pomUsername: pom.username });
    const firstAuthorisation = await s.authorise(first);
    await s.authorise(second);
    const twoDaysAgo = new Date(Date.now() - 50 * 3_600_000).toISOString();
    await s.ingestAndTriage([
      s.call(first, { startedAt: twoDaysAgo }),
      s.call(first),
      s.call(first),
      s.call(second),
      s.call(second),
    ]);
    const claimed = await s.claim(listener).expect(200);
    const call = claimed.body as {
      call: { id: string; prisonNumber: string };
      claim: { token: string };
    };
    await api.http
      .post(`/api/calls/${call.call.id}/log`)
      .set(bearer(listener.token))
      .send(
        highLogWithThreat(call.claim.token, {
          summary:
            'Spoke to his ex-partner; said she would pay when he is released and that he knows where she lives.',
        }),
      )
      .expect(201);
    const escalated = call.call.prisonNumber;
    await api.db.query(
      `UPDATE monitoring_authorisations SET review_due_at = now() - interval '1 day' WHERE id = $1`,
      [firstAuthorisation],
    );
    for (const [daysAgo, pending, breached] of [
      [3, 41, 7],
      [2, 37, 5],
      [1, 29, 3],
    ]) {
      await api.db.query(
        `INSERT INTO backlog_snapshots (establishment_code, taken_at, pending, breached, by_tier, claimed,
                                        awaiting_translation, arrivals_24h, logs_24h)
         VALUES ($1, date_trunc('hour', now()) - make_interval(days => $2), $3, $4, '{}'::jsonb, 0, 0, 6, 4)`,
        [s.establishment, daysAgo, pending, breached],
      );
    }
    const web = new WebClient(api);
    await web.signIn(head);
    return { s, head, pom, listener, first, second, escalated, web };
  }

  it('backlog: tier cards match the API summary, both charts are accessible SVGs with data tables, and risk flags are counted by kind', async () => {
    const { s, head, web } = await world();
    const summary = (
      await api.http
        .get(`/api/backlog/summary?establishment=${s.establishment}`)
        .set(bearer(head.token))
        .expect(200)
    ).body as {
      pending: { total: number; byTier: Record<string, { count: number; breached: number }> };
      ageBuckets: Record<string, number>;
    };
    expect(summary.pending.total).toBe(4);

    const page = await web.get('/backlog');
    expect(page.status).toBe(200);
    const html = page.text;
    for (const tier of TIERS) {
      expect(qaTexts(html, `tier-count-${tier}`)).toEqual([
        String(summary.pending.byTier[tier].count),
      ]);
      expect(qaTexts(html, `tier-breached-${tier}`)).toEqual([
        String(summary.pending.byTier[tier].breached),
      ]);
    }
    expect(summary.pending.byTier.P1.count).toBeGreaterThan(0);
    expect(html).toMatch(/data-qa="tier-oldest-P1"[^>]*>\s*Oldest call made /);

    // Two SVG charts, each an image with a title and description, no script inside.
    const svgs = [...html.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      expect(svg).toMatch(/<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
      expect(svg).not.toMatch(/<script|style=/);
    }
    expect(svgs[0]).toContain('Calls waiting by age');
    expect(svgs[1]).toContain('Calls waiting over the last 30 days');

    // The age table holds the API's bucket counts; the trend table the snapshots.
    const ageTable = /data-qa="age-table"[\s\S]*?<\/details>/.exec(html)![0];
    expect(ageTable).toContain('Show the data as a table');
    expect(ageTable).toMatch(
      new RegExp(`Under 24 hours</th>\\s*<td[^>]*>\\s*${summary.ageBuckets['0-24h']}\\s*<`),
    );
    expect(ageTable).toMatch(
      new RegExp(`1 to 3 days</th>\\s*<td[^>]*>\\s*${summary.ageBuckets['1-3d']}\\s*<`),
    );
    const trendTable = /data-qa="trend-table"[\s\S]*?<\/details>/.exec(html)![0];
    for (const n of ['41', '37', '29']) expect(trendTable).toMatch(new RegExp(`>\\s*${n}\\s*<`));
    expect(svgs[1]).toContain('>29</text>');

    expect(html).toContain('data-qa="flow-figures"');
    expect(html).toContain('Listening hours needed a day to keep up');
    expect(html).toMatch(/data-qa="listeners"[\s\S]*Test LISTENER/);
    // The listeners' table sorts in the page (MoJ Frontend), by the figures, not their formatting.
    expect(html).toMatch(
      /data-qa="listeners-table"[^>]*data-module="moj-sortable-table"|data-module="moj-sortable-table"[^>]*data-qa="listeners-table"/,
    );
    expect(html).toMatch(/aria-sort="none">Listener<\/th>/);
    // Risk flags counted by kind (the API's flags), each kind linking to its list.
    const flags = (
      await api.http
        .get(`/api/risk-flags?establishment=${s.establishment}`)
        .set(bearer(head.token))
        .expect(200)
    ).body as { items: { type: string; prisonNumber: string | null }[] };
    expect(flags.items.length).toBeGreaterThan(0);
    const kinds = [...new Set(flags.items.map((f) => f.type))];
    for (const kind of kinds) {
      expect(qaTexts(html, `flag-count-${kind}`)).toEqual([
        String(flags.items.filter((f) => f.type === kind).length),
      ]);
      expect(html).toContain(`href="/risk-flags?type=${kind}"`);
    }
    expect(qaTexts(html, 'all-risk-flags')).toEqual([
      `See all ${flags.items.length} open risk flags`,
    ]);
    expect(html).toContain('data-qa="forecast-form"');
  });

  it('risk flags: the list by kind, each flag linking to its prisoner; an unknown kind shows them all', async () => {
    const { first, web } = await world();
    const overdue = await web.get('/risk-flags?type=MONITORING_REVIEW_OVERDUE');
    expect(overdue.status).toBe(200);
    // The overdue review raised a flag, linking to the prisoner's page.
    expect(overdue.text).toMatch(
      new RegExp(
        `data-qa="flags-table"[\\s\\S]*href="/prisoners/${first}"[^>]*>Prisoner\\d+, Test</a><br><span class="govuk-body-s">${first}<`,
      ),
    );
    expect(qaTexts(overdue.text, 'flag-total')).toEqual(['1 open flag.']);
    expect(overdue.text).toMatch(/value="MONITORING_REVIEW_OVERDUE" selected/);

    const none = await web.get('/risk-flags?type=POM_CASELOAD_HIGH');
    expect(none.status).toBe(200);
    expect(qaTexts(none.text, 'flag-total')).toEqual(['0 open flags.']);
    expect(none.text).toContain('There are no open risk flags of this kind.');

    const all = await web.get('/risk-flags?type=NOT_A_KIND');
    expect(all.status).toBe(200);
    expect(all.text).toMatch(/<option value="" selected>All flags \(\d+\)/);
    expect(all.text).toContain(`href="/prisoners/${first}"`);
  });

  it('forecast: valid staffing shows each tier’s result, bad input the error summary', async () => {
    const { web } = await world();
    const ok = await web.get('/backlog/forecast?listeners=3&hoursPerDay=4.5');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('data-qa="forecast-result"');
    for (const tier of TIERS) {
      expect(ok.text).toMatch(new RegExp(`data-qa="sla-${tier}"[^>]*>[\\s\\S]*?SLA (not )?met`));
      expect(ok.text).toContain(`data-qa="clears-${tier}"`);
    }
    expect(ok.text).toMatch(/data-qa="smallest-staffing"[\s\S]*listener/);
    expect(ok.text).toContain('value="4.5"');
    expect(ok.text).not.toContain('govuk-error-summary');

    const bad = await web.get('/backlog/forecast?listeners=2.5&hoursPerDay=30');
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#listeners', '#hoursPerDay']);
    expect(bad.text).toContain('Error: Backlog forecast');
    expect(bad.text).toContain('whole number between 0 and 5000');
    expect(bad.text).toContain('between 0.25 and 24');
    expect(bad.text).not.toContain('data-qa="forecast-result"');

    const empty = await web.get('/backlog/forecast?listeners=&hoursPerDay=');
    expect(errorSummaryLinks(empty.text)).toEqual(['#listeners', '#hoursPerDay']);
    expect(empty.text).toContain('Enter the number of listeners');

    // The API's own checks (ForecastQuery): no more than two decimal places, no more than 5000.
    const refused = await web.get('/backlog/forecast?listeners=5001&hoursPerDay=4.555');
    expect(refused.status).toBe(400);
    expect(errorSummaryLinks(refused.text)).toEqual(['#listeners', '#hoursPerDay']);
  });

  it('queue: calls in claim order with tiers and reasons, and the tier filter', async () => {
    const { s, head, escalated, web } = await world();
    const fromApi = (
      await api.http
        .get(`/api/queue?establishment=${s.establishment}`)
        .set(bearer(head.token))
        .expect(200)
    ).body as { items: { prisonNumber: string; tier: string; priorityReasons: string[] }[] };
    const page = await web.get('/queue');
    expect(page.status).toBe(200);
    expect(qaTexts(page.text, 'position')).toEqual(['1', '2', '3', '4']);
    expect(prisonerLinks(page.text, 'queue-prisoner')).toEqual(
      fromApi.items.map((c) => byName(c.prisonNumber)),
    );
    expect(fromApi.items[0]).toMatchObject({ prisonNumber: escalated, tier: 'P1' });
    expect(page.text).toContain('Open high-concern escalation on this prisoner');
    expect(page.text).toContain(`href="/prisoners/${escalated}"`);
    expect(page.text).toMatch(/data-qa="queue-total"[^>]*>4 calls waiting/);

    const p1 = await web.get('/queue?tier=P1');
    const p1Calls = fromApi.items.filter((c) => c.tier === 'P1');
    expect(prisonerLinks(p1.text, 'queue-prisoner')).toEqual(
      p1Calls.map((c) => byName(c.prisonNumber)),
    );
    expect(p1.text).toMatch(/<option value="P1" selected>/);
    // MoJ Frontend's filter: the tier chosen is a tag that takes it off (back to every tier).
    expect(p1.text).toMatch(
      /<a class="moj-filter__tag" href="\/queue"><span class="govuk-visually-hidden">Remove this filter<\/span> P1<\/a>/,
    );
    expect(page.text).not.toContain('moj-filter__tag');
    const p4 = await web.get('/queue?tier=P4');
    expect(p4.text).toContain('No calls are waiting in P4.');
  });

  it('IRMM: the agenda shows the prisoner; recording a meeting that closes the item empties it', async () => {
    const { escalated, web } = await world();
    const agenda = await web.get('/irmm');
    expect(agenda.status).toBe(200);
    expect(agenda.text).toContain(`data-qa="agenda-item-${escalated}"`);
    expect(agenda.text).toMatch(/data-qa="themes"[\s\S]*Threats to harm × 1/);
    expect(agenda.text).toContain('he knows where she lives');
    const escalationId = /name="items-0-escalationId" value="([^"]+)"/.exec(agenda.text)![1];

    const res = await web.post('/irmm/meetings', {
      itemCount: 1,
      ...londonParts(new Date(Date.now() - 3_600_000)),
      attendees: 'Head of OMU\nSecurity manager\n\nPOM',
      'items-0-escalationId': escalationId,
      'items-0-decision': 'CLOSE',
      'items-0-outcome': 'RISK_MANAGEMENT_PLAN_UPDATED',
      'items-0-note': 'Victim liaison informed',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/irmm');
    const after = await web.get('/irmm');
    expect(after.text).toContain('Meeting recorded');
    expect(after.text).toContain('1 item closed, 0 carried forward');
    expect(after.text).toContain('data-qa="agenda-empty"');
    const meetings: { attendees: string[] }[] = await api.db.query(
      `SELECT attendees FROM irmm_meetings m JOIN irmm_meeting_items i ON i.meeting_id = m.id WHERE i.escalation_id = $1`,
      [escalationId],
    );
    expect(meetings).toEqual([{ attendees: ['Head of OMU', 'Security manager', 'POM'] }]);
  });

  it('IRMM: a bad meeting form shows the error summary linking each field, keeping what was typed', async () => {
    const { escalated, web } = await world();
    const agenda = await web.get('/irmm');
    const escalationId = /name="items-0-escalationId" value="([^"]+)"/.exec(agenda.text)![1];
    const res = await web.post('/irmm/meetings', {
      itemCount: 1,
      'heldAt-day': '31',
      'heldAt-month': '2',
      'heldAt-year': '2025',
      'heldAt-time': '10:00',
      attendees: '  ',
      'items-0-escalationId': escalationId,
      'items-0-decision': 'CLOSE',
      'items-0-note': 'typed note',
    });
    expect(res.status).toBe(400);
    // In the order of the page: the agenda's decisions, then the meeting's date and attendees.
    expect(errorSummaryLinks(res.text)).toEqual(['#items-0-outcome', '#heldAt-day', '#attendees']);
    expect(res.text).toContain(`Select the outcome for Test`);
    expect(res.text).toContain(`(${escalated})`);
    expect(res.text).toContain('typed note</textarea>');
    expect(res.text).toMatch(/value="CLOSE" checked/);
    expect(res.text).toContain('Error: IRMM agenda');

    // OTHER needs a note; no decision at all is an error too.
    const other = await web.post('/irmm/meetings', {
      itemCount: 1,
      ...londonParts(new Date(Date.now() - 3_600_000)),
      attendees: 'Head of OMU',
      'items-0-escalationId': escalationId,
      'items-0-decision': 'CLOSE',
      'items-0-outcome': 'OTHER',
    });
    expect(other.status).toBe(400);
    expect(errorSummaryLinks(other.text)).toEqual(['#items-0-note']);
    const none = await web.post('/irmm/meetings', {
      itemCount: 1,
      ...londonParts(new Date(Date.now() - 3_600_000)),
      attendees: 'Head of OMU',
      'items-0-escalationId': escalationId,
    });
    expect(errorSummaryLinks(none.text)).toEqual(['#items-0-decision']);
    // Nothing was recorded.
    expect((await web.get('/irmm')).text).toContain(`data-qa="agenda-item-${escalated}"`);
  });

  it('reviews: an overdue authorisation comes first, tagged, linking to the prisoner', async () => {
    const { first, second, web } = await world();
    const page = await web.get('/authorisations/reviews');
    expect(page.status).toBe(200);
    expect(prisonerLinks(page.text, 'review-prisoner')).toEqual([byName(first), byName(second)]);
    expect(page.text).toMatch(/data-qa="overdue"[^>]*>\s*Overdue/);
    expect(page.text).toContain(`href="/prisoners/${first}"`);
    const overdue = await web.get('/authorisations/reviews?show=overdue');
    expect(prisonerLinks(overdue.text, 'review-prisoner')).toEqual([byName(first)]);
  });

  it('gives a listener and a POM the GOV.UK 403 page on the head’s pages', async () => {
    const { s, listener, pom } = await world();
    for (const staffer of [listener, pom] as Staffer[]) {
      const web = new WebClient(api);
      await web.signIn(staffer);
      for (const path of [
        '/backlog',
        '/backlog/forecast',
        '/queue',
        '/irmm',
        '/risk-flags',
        '/authorisations/reviews',
      ]) {
        const res = await web.get(path);
        expect(res.status).toBe(403);
        expect(res.text).toContain('You do not have permission to see this page');
      }
      expect((await web.post('/irmm/meetings', { itemCount: 0 })).status).toBe(403);
    }
    expect(s.establishment).toHaveLength(3);
  });
});
