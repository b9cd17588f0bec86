import { startApi, TestApi } from '../support/api';
import { randomMobile, Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

describe('web: Plan staffing', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A head of OMU signed in, and two monitored calls three days ago (one to a victim). */
  async function world() {
    const s = await Scenario.create(api);
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
    const web = new WebClient(api);
    await web.signIn(head);
    const [year, month, date] = day.split('-');
    const fields = {
      rows: '2',
      'from-day': String(Number(date)),
      'from-month': String(Number(month)),
      'from-year': year,
      'to-day': String(Number(date)),
      'to-month': String(Number(month)),
      'to-year': year,
      'row-0-listeners': '1',
      'row-0-days': WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()],
      'row-0-start': '09:00',
      'row-0-end': '17:00',
      'row-0-trainings': ALL_TRAININGS,
      'row-1-listeners': '',
      policies: ['CURRENT', 'FIFO', 'MAPPA_LEVEL'],
      handling: 'FIXED',
      meanMinutes: '30',
      sdMinutes: '0',
      action: 'run',
    };
    return { s, web, fields };
  }

  it('shows the form, linked from the head’s navigation, and adds a row without script', async () => {
    const { web, fields } = await world();
    const page = await web.get('/plan-staffing');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/plan-staffing"');
    expect(page.text).toContain('data-qa="shift-row-1"');
    expect(page.text).not.toContain('data-qa="shift-row-2"');
    const added = await web.post('/plan-staffing', { ...fields, action: 'add-row' });
    expect(added.status).toBe(200);
    expect(added.text).toContain('data-qa="shift-row-2"');
    expect(added.text).toContain('name="rows" value="3"');
    // What was typed is kept.
    expect(added.text).toMatch(/id="row-0-start" name="row-0-start" type="text"[^>]*value="09:00"/);
  });

  it('simulates the plan: the sentence, a table per policy, the backlog chart and its table', async () => {
    const { web, fields } = await world();
    await web.get('/plan-staffing');
    const res = await web.post('/plan-staffing', fields);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /data-qa="simulation-summary"[\s\S]*?With this plan 100% of P1 calls are heard within 24 hours \(FIFO: 100%; MAPPA level: 100%\)/,
    );
    for (const policy of ['CURRENT', 'FIFO', 'MAPPA_LEVEL'])
      expect(res.text).toContain(`data-qa="policy-${policy}"`);
    expect(res.text).toMatch(/data-qa="within-CURRENT-P1"[^>]*>\s*1 \(100%\)/);
    const svg = /<svg [\s\S]*?<\/svg>/.exec(res.text)?.[0] ?? '';
    expect(svg).toMatch(/role="img"/);
    expect(svg).toContain('Calls waiting over the period, by policy');
    expect(svg).not.toMatch(/<script|style=/);
    expect(res.text).toContain('data-qa="backlog-table"');
  });

  it('puts a shift that ends before it starts, and a period too long, back on the form', async () => {
    const { web, fields } = await world();
    await web.get('/plan-staffing');
    const backwards = await web.post('/plan-staffing', {
      ...fields,
      'row-0-start': '17:00',
      'row-0-end': '09:00',
    });
    expect(backwards.status).toBe(400);
    expect(errorSummaryLinks(backwards.text)).toEqual(['#row-0-end']);
    expect(backwards.text).toContain('End must be after the start');
    const long = await web.post('/plan-staffing', { ...fields, 'from-year': '2020' });
    expect(long.status).toBe(400);
    expect(errorSummaryLinks(long.text)).toEqual(['#to-day']);
    const none = await web.post('/plan-staffing', {
      ...fields,
      'row-0-listeners': '',
      policies: [],
    });
    expect(none.status).toBe(400);
    expect(errorSummaryLinks(none.text)).toEqual(['#row-0-listeners', '#policies']);
  });

  it('is not for a listener', async () => {
    const { s } = await world();
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    const res = await web.get('/plan-staffing');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('href="/plan-staffing"');
  });
});
