import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startApi, TestApi } from '../support/api';
import { Scenario, Staffer } from '../support/scenario';
import { WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
/** The demo's voice clips: tens of kilobytes, so a range from byte 1000 is served. */
const DEMO_RECORDINGS = path.resolve(__dirname, '../../demo/recordings');

/**
 * The workbench's part of the audit: a page that shows many records is one row naming them (and the
 * Audit page finds it by any of them); the recording route audits a play, not each range; a refused
 * self-approval and each audit search are audited.
 */
describe('web: the audit says what happened', () => {
  let api: TestApi;
  const recordingsBefore = process.env.RECORDINGS_DIR;

  beforeAll(async () => {
    process.env.RECORDINGS_DIR = DEMO_RECORDINGS;
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
    if (recordingsBefore === undefined) delete process.env.RECORDINGS_DIR;
    else process.env.RECORDINGS_DIR = recordingsBefore;
  });

  async function signedIn(staffer: Staffer) {
    const web = new WebClient(api);
    await web.signIn(staffer);
    return web;
  }

  /** A page fetched under a correlation id of its own, to find the rows it wrote. */
  async function fetchPage(web: WebClient, url: string) {
    const correlationId = `web-audit-${randomUUID()}`;
    const res = await web.agent.get(url).set('x-correlation-id', correlationId);
    expect(res.status).toBe(200);
    const rows = await api.db.query<
      {
        action: string;
        entityType: string;
        entityId: string | null;
        establishmentCode: string | null;
        subjectIds: string[];
        details: Record<string, unknown>;
      }[]
    >(
      `SELECT action, entity_type AS "entityType", entity_id AS "entityId",
              trim(establishment_code) AS "establishmentCode", subject_ids AS "subjectIds", details
         FROM audit_events WHERE correlation_id = $1 ORDER BY id`,
      [correlationId],
    );
    return { res, rows, correlationId };
  }

  it('the caseload is one row naming every prisoner on it, and the Audit page finds it by one of them', async () => {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoners = await Promise.all(
      Array.from({ length: 24 }, () => s.prisoner({ pomUsername: pom.username })),
    );

    const { res, rows } = await fetchPage(await signedIn(pom), '/caseload');
    for (const p of prisoners) expect(res.text).toContain(p);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'PRISONER_READ',
        entityType: 'prisoner',
        entityId: null,
        establishmentCode: s.establishment,
        details: { via: 'caseload', count: 24 },
      }),
    ]);
    expect([...rows[0].subjectIds].sort()).toEqual([...prisoners].sort());

    const audit = await signedIn(security);
    const found = await audit.get(`/audit?entityType=prisoner&entityId=${prisoners[17]}`);
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/data-qa="action"[^>]*>\s*PRISONER_READ\s*</);
    // What happened in words, the exact code beneath it.
    expect(found.text).toContain('data-qa="action-label">Prisoner record read</span>');
    // Who, by name with the username under it.
    expect(found.text).toContain(
      `data-qa="actor-name">Test POM</span><br><span class="govuk-body-s">${pom.username}</span>`,
    );
    expect(found.text).toMatch(
      new RegExp(`data-qa="subjects">24 shown, including ${prisoners[17]}<`),
    );
  });

  it('the queue page is one row for the calls it lists', async () => {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const prisoner = await s.prisoner();
    await s.authorise(prisoner);
    await s.ingestAndTriage(Array.from({ length: 7 }, () => s.call(prisoner)));
    const calls = await s.callsOf(prisoner);

    const { rows } = await fetchPage(await signedIn(head), '/queue');
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'CALL_READ',
        entityId: null,
        details: { via: 'queue', count: 7 },
      }),
    ]);
    expect([...rows[0].subjectIds].sort()).toEqual([...calls.map((c) => c.id), prisoner].sort());
  });

  it('an Audit page search is audited, once', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();
    const web = await signedIn(security);

    const { res, rows } = await fetchPage(web, `/audit?entityType=prisoner&entityId=${prisoner}`);
    expect(res.text).toContain('each search of the audit trail is recorded too');
    expect(rows).toEqual([
      {
        action: 'AUDIT_SEARCHED',
        entityType: 'audit',
        entityId: null,
        establishmentCode: s.establishment,
        subjectIds: [],
        details: expect.objectContaining({
          via: 'web',
          entityType: 'prisoner',
          entityId: prisoner,
          establishments: [s.establishment],
        }) as unknown,
      },
    ]);
    // A search with errors searched nothing, and is not recorded as one.
    const bad = await web.agent
      .get(`/audit?entityId=${prisoner}&from-day=40&from-month=1&from-year=2025`)
      .set('x-correlation-id', `web-audit-bad-${randomUUID()}`);
    expect(bad.status).toBe(400);
    const [{ n }] = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1`,
      [bad.headers['x-correlation-id']],
    );
    expect(n).toBe(0);
  });

  it('a refused self-approval is audited', async () => {
    const s = await Scenario.create(api);
    const security = await s.staff(['SECURITY_MANAGER']);
    const prisoner = await s.prisoner();
    const web = await signedIn(security);
    await web.get(`/prisoners/${prisoner}/authorisations/new`);
    const requested = await web.post(`/prisoners/${prisoner}/authorisations/new`, {
      type: 'INTELLIGENCE_LED',
      grounds: ['CRIME'],
      channels: ['PHONE'],
      justification:
        'Threats to a former partner were heard last month; less intrusive measures failed.',
      lookbackDays: '7',
    });
    expect(requested.status).toBe(302);
    const id = /^\/authorisations\/([0-9a-f-]{36})$/.exec(requested.headers.location)![1];
    await web.get(`/authorisations/${id}`);

    const refused = await web.post(`/authorisations/${id}/approve`, { note: '' });
    expect(refused.status).toBe(403);
    const audited = await api.db.query<{ username: string; details: Record<string, unknown> }[]>(
      `SELECT username, details FROM audit_events
        WHERE action = 'AUTHORISATION_APPROVAL_REFUSED' AND entity_id = $1`,
      [id],
    );
    expect(audited).toEqual([
      {
        username: security.username,
        details: {
          prisonNumber: prisoner,
          status: 'REQUESTED',
          reason: 'The person who requested monitoring cannot also authorise it',
        },
      },
    ]);
  });

  it('the recording route audits a play from the first byte, not a later range', async () => {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ leadListenerUsername: listener.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner, { recordingRef: 'demo/clip-1.wav' })]);
    const web = await signedIn(listener);
    await web.get('/my-work');
    const claimed = await web.post('/my-work/claim');
    const id = /^\/calls\/([0-9a-f-]{36})\/listen$/.exec(claimed.headers.location)![1];
    const plays = async () =>
      (
        await api.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'RECORDING_PLAYED' AND entity_id = $1`,
          [id],
        )
      )[0].n;

    // Opening the page is not a play.
    const listen = await web.get(`/calls/${id}/listen`);
    expect(listen.text).toContain('preload="none"');
    expect(await plays()).toBe(0);

    const whole = await web.agent.get(`/calls/${id}/recording`);
    expect(whole.status).toBe(200);
    expect(await plays()).toBe(1);

    const later = await web.agent.get(`/calls/${id}/recording`).set('Range', 'bytes=1000-');
    expect(later.status).toBe(206);
    expect(later.headers['content-range']).toMatch(/^bytes 1000-/);
    expect(await plays()).toBe(1);

    const again = await web.agent.get(`/calls/${id}/recording`).set('Range', 'bytes=0-');
    expect(again.status).toBe(206);
    expect(await plays()).toBe(2);
  });
});
