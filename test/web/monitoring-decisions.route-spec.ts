import { startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

describe('web: monitoring decisions and decisions on flags', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function signedIn(staffer: Staffer) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  const decisionOf = async (prisonNumber: string) => {
    const rows: { id: string; status: string; decision: string | null }[] = await api.db.query(
      `SELECT id, status, decision FROM monitoring_decisions WHERE prison_number = $1`,
      [prisonNumber],
    );
    return rows;
  };

  it('lists the decisions due with the overdue in red, and decides not to monitor through the form', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ alertCodes: ['RDV', 'ROH'] });
    const [opened] = await decisionOf(prisoner);
    // Overdue: its due time moved into the past.
    await api.db.query(
      `UPDATE monitoring_decisions SET due_at = now() - interval '1 hour' WHERE id = $1`,
      [opened.id],
    );
    const security = await s.staff(['SECURITY_MANAGER']);
    const web = await signedIn(security);

    const list = await web.get('/monitoring-decisions');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<h1[^>]*>\s*Monitoring decisions/);
    expect(list.text).toContain(prisoner);
    expect(list.text).toContain('Arrived with: domestic abuse perpetrator (RDV), RoSH high');
    expect(list.text).toContain('Domestic abuse perpetrator, Risk of serious harm: high');
    expect(list.text).toContain(`data-qa="overdue-${opened.id}"`);
    expect(list.text).toContain('govuk-tag--red');
    expect(list.text).toContain('href="/monitoring-decisions"');

    const form = await web.get(`/monitoring-decisions/${opened.id}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('data-qa="decide-form"');
    // The request is filled in from the markers: crime and public safety, phone calls.
    expect(form.text).toMatch(/value="CRIME"\s+checked/);
    expect(form.text).toMatch(/value="PUBLIC_SAFETY"\s+checked/);
    expect(form.text).toContain('Arrived with:');

    const missing = await web.post(`/monitoring-decisions/${opened.id}`, {});
    expect(missing.status).toBe(400);
    expect(errorSummaryLinks(missing.text)).toEqual(
      expect.arrayContaining(['#decision', '#rationale']),
    );
    expect((await decisionOf(prisoner))[0].status).toBe('DUE');

    const done = await web.post(`/monitoring-decisions/${opened.id}`, {
      decision: 'DO_NOT_MONITOR',
      rationale: 'No contact with the victim for three years; the order is in force.',
    });
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/monitoring-decisions?status=DECIDED');
    expect(await decisionOf(prisoner)).toEqual([
      { id: opened.id, status: 'DECIDED', decision: 'DO_NOT_MONITOR' },
    ]);
    const decided = await web.get('/monitoring-decisions?status=DECIDED');
    expect(decided.text).toContain('Do not monitor');
    expect(decided.text).toMatch(
      new RegExp(`Decided not to monitor Prisoner\\d+, Test \\(${prisoner}\\)`),
    );
  });

  it('MONITOR through the form opens the request; a listener may not see the page', async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ alertCodes: ['CPC'] });
    const [opened] = await decisionOf(prisoner);
    const head = await s.staff(['HEAD_OF_OMU']);
    const web = await signedIn(head);
    await web.get(`/monitoring-decisions/${opened.id}`);
    const res = await web.post(`/monitoring-decisions/${opened.id}`, {
      decision: 'MONITOR',
      rationale: 'Asks to call a family with young children.',
      grounds: ['PUBLIC_SAFETY', 'RIGHTS_AND_FREEDOMS'],
      channels: ['PHONE'],
      justification: 'Risk to children: his calls must be heard to protect them from harm.',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/authorisations\/[0-9a-f-]{36}$/);
    const requests: { status: string; requestedBy: string }[] = await api.db.query(
      `SELECT status, requested_by AS "requestedBy" FROM monitoring_authorisations WHERE prison_number = $1`,
      [prisoner],
    );
    expect(requests).toEqual([{ status: 'REQUESTED', requestedBy: head.username }]);

    const listener = await s.staff(['LISTENER']);
    const theirs = await signedIn(listener);
    expect((await theirs.get('/monitoring-decisions')).status).toBe(403);
  });

  it("the head decides on a flag from the risk-flags page; it leaves the page's list", async () => {
    const s = await Scenario.create(api);
    const prisoner = await s.prisoner({ alertCodes: ['RSP', 'ROV'] });
    const head = await s.staff(['HEAD_OF_OMU']);
    const web = await signedIn(head);
    const flags = await web.get('/risk-flags');
    expect(flags.text).toContain(
      `/risk-flags/decide?type=HIGH_RISK_NOT_MONITORED&prisonNumber=${prisoner}`,
    );
    const form = await web.get(
      `/risk-flags/decide?type=HIGH_RISK_NOT_MONITORED&prisonNumber=${prisoner}`,
    );
    expect(form.status).toBe(200);
    expect(form.text).toMatch(
      new RegExp(`data-qa="flag-caption">[^<]*: Prisoner\\d+, Test \\(${prisoner}\\)<`),
    );
    const bad = await web.post('/risk-flags/decide', {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: prisoner,
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#decision', '#rationale', '#reviewBy-day']);
    const next = new Date(Date.now() + 30 * 86_400_000);
    const res = await web.post('/risk-flags/decide', {
      type: 'HIGH_RISK_NOT_MONITORED',
      prisonNumber: prisoner,
      decision: 'ACCEPTED_RISK',
      rationale: 'Victim abroad with no phone; the order is in force.',
      'reviewBy-day': next.getUTCDate(),
      'reviewBy-month': next.getUTCMonth() + 1,
      'reviewBy-year': next.getUTCFullYear(),
    });
    expect(res.status).toBe(302);
    const after = await web.get('/risk-flags');
    expect(after.text).not.toContain(`prisonNumber=${prisoner}`);
  });
});
