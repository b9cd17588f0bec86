import { bearer, startApi, TestApi } from '../support/api';
import { highLogWithThreat, Scenario } from '../support/scenario';
import { WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

/** A response body read whole as bytes (a PDF). */
const asBytes = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('web: the MAPPA monitoring summary, past IRMM meetings and the agenda print view', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A prisoner with a HIGH log with a threat (so on the IRMM agenda), and the staff around them. */
  async function world() {
    const s = await Scenario.create(api);
    const head = await s.staff(['HEAD_OF_OMU']);
    const pom = await s.staff(['POM']);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({ pomUsername: pom.username });
    await s.authorise(prisoner);
    await s.ingestAndTriage([s.call(prisoner)]);
    const claimed = await s.claim(listener).expect(200);
    const call = claimed.body as { call: { id: string }; claim: { token: string } };
    await api.http
      .post(`/api/calls/${call.call.id}/log`)
      .set(bearer(listener.token))
      .send(
        highLogWithThreat(call.claim.token, {
          summary: 'Said he knows where she lives and will be waiting when he is released.',
        }),
      )
      .expect(201);
    return { s, head, pom, listener, prisoner };
  }

  it('summary: the prisoner page links to the HTML view and the PDF, both served to the browser session and audited once each', async () => {
    const { s, pom, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(pom);
    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.text).toContain(`href="/prisoners/${prisoner}/monitoring-summary"`);
    expect(page.text).toContain(`href="/prisoners/${prisoner}/monitoring-summary/pdf"`);

    const html = await web.get(`/prisoners/${prisoner}/monitoring-summary`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['cache-control']).toBe('no-store');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.text).toContain('OFFICIAL-SENSITIVE');
    expect(html.text).toContain(prisoner);

    const pdf = await web.agent
      .get(`/prisoners/${prisoner}/monitoring-summary/pdf`)
      .buffer(true)
      .parse(asBytes);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect(pdf.headers['content-disposition']).toMatch(
      new RegExp(
        `^attachment; filename="monitoring-summary-${prisoner}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`,
      ),
    );
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const audited: { details: { format: string } }[] = await api.db.query(
      `SELECT details FROM audit_events
       WHERE action = 'MONITORING_SUMMARY_READ' AND entity_id = $1 AND establishment_code = $2
       ORDER BY id`,
      [prisoner, s.establishment],
    );
    expect(audited.map((a) => a.details.format)).toEqual(['html', 'pdf']);
  });

  it('summary: a role the API refuses gets the GOV.UK 403 page for the HTML and the PDF', async () => {
    const { listener, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(listener);
    for (const path of [
      `/prisoners/${prisoner}/monitoring-summary`,
      `/prisoners/${prisoner}/monitoring-summary/pdf`,
    ]) {
      const res = await web.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('You do not have permission to see this page');
    }
  });

  it('past meetings: a meeting recorded through the API is listed newest first, paged 20, and opens with its items', async () => {
    const { s, head, prisoner } = await world();
    const agenda = await api.http
      .get(`/api/irmm/agenda?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    const escalationId = (agenda.body as { items: { escalations: { id: string }[] }[] }).items[0]
      .escalations[0].id;
    // Twenty older meetings, so the one recorded below is first on page 1 and the oldest on page 2.
    for (let d = 30; d < 50; d++) {
      await api.db.query(
        `INSERT INTO irmm_meetings (establishment_code, held_at, attendees, recorded_by)
         VALUES ($1, now() - make_interval(days => $2), ARRAY['Old attendee'], $3)`,
        [s.establishment, d, head.username],
      );
    }
    const recorded = await api.http
      .post('/api/irmm/meetings')
      .set(bearer(head.token))
      .send({
        establishmentCode: s.establishment,
        heldAt: new Date(Date.now() - 3_600_000).toISOString(),
        attendees: ['Head of OMU', 'Security manager'],
        items: [
          {
            escalationId,
            decision: 'CLOSE',
            outcome: 'POLICE_INFORMED',
            note: 'Police public protection unit told',
          },
        ],
      })
      .expect(201);
    const meetingId = (recorded.body as { id: string }).id;

    const web = new WebClient(api);
    await web.signIn(head);
    expect((await web.get('/irmm')).text).toContain('href="/irmm/meetings"');
    const list = await web.get('/irmm/meetings');
    expect(list.status).toBe(200);
    const rows = [...list.text.matchAll(/data-qa="open-meeting-([0-9a-f-]+)"/g)].map((m) => m[1]);
    expect(rows).toHaveLength(20);
    expect(rows[0]).toBe(meetingId);
    expect(list.text).toMatch(
      new RegExp(`data-qa="attendees-${meetingId}"[^>]*>\\s*Head of OMU, Security manager`),
    );
    // The signed-in head recorded it: shown by their display name.
    expect(list.text).toMatch(
      new RegExp(`data-qa="recorded-by-${meetingId}"[^>]*>\\s*Test HEAD_OF_OMU\\s*<`),
    );
    expect(list.text).toMatch(new RegExp(`data-qa="closed-${meetingId}"[^>]*>\\s*1\\s*<`));
    expect(list.text).toMatch(new RegExp(`data-qa="carried-forward-${meetingId}"[^>]*>\\s*0\\s*<`));
    expect(list.text).toContain('class="govuk-pagination');
    const second = await web.get('/irmm/meetings?page=2');
    expect([...second.text.matchAll(/data-qa="open-meeting-/g)]).toHaveLength(1);

    const meeting = await web.get(`/irmm/meetings/${meetingId}`);
    expect(meeting.status).toBe(200);
    expect(meeting.text).toContain(prisoner);
    expect(meeting.text).toMatch(/Test Prisoner\d+|Prisoner\d+, Test/);
    expect(meeting.text).toContain('Police informed');
    expect(meeting.text).toContain('Police public protection unit told');
    expect(meeting.text).toMatch(new RegExp(`data-qa="decision-${escalationId}"[^>]*>\\s*Closed`));
    expect(meeting.text).toContain('a threat recorded');

    const reads: { action: string; subject_ids: string[] }[] = await api.db.query(
      `SELECT action, subject_ids FROM audit_events
       WHERE action IN ('IRMM_MEETINGS_READ', 'IRMM_MEETING_READ') AND establishment_code = $1 ORDER BY id`,
      [s.establishment],
    );
    expect(reads.map((r) => r.action)).toEqual([
      'IRMM_MEETINGS_READ',
      'IRMM_MEETINGS_READ',
      'IRMM_MEETING_READ',
    ]);
    expect(reads[0].subject_ids).toContain(meetingId);
    expect(reads[2].subject_ids).toEqual(
      expect.arrayContaining([meetingId, escalationId, prisoner]),
    );

    expect((await web.get('/irmm/meetings/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('print: the agenda without the header, navigation or meeting form; a POM gets the 403 page', async () => {
    const { head, pom, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(head);
    expect((await web.get('/irmm')).text).toContain('href="/irmm/print"');
    const print = await web.get('/irmm/print');
    expect(print.status).toBe(200);
    expect(print.text).toContain(`data-qa="agenda-item-${prisoner}"`);
    expect(print.text).toContain('knows where she lives');
    expect(print.text).toContain('/assets/app/irmm-print.css');
    expect(print.text).not.toContain('govuk-service-navigation');
    expect(print.text).not.toContain('class="govuk-header');
    expect(print.text).not.toContain('data-qa="user-bar"');
    expect(print.text).not.toContain('class="govuk-footer');
    expect(print.text).not.toContain('data-qa="meeting-form"');
    const css = await web.get('/assets/app/irmm-print.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('size: A4');

    const other = new WebClient(api);
    await other.signIn(pom);
    for (const path of ['/irmm/print', '/irmm/meetings']) {
      expect((await other.get(path)).status).toBe(403);
    }
  });
});
