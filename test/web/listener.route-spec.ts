import { QueueService } from '../../src/queue/queue.service';
import { startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];

const VALID_HIGH_LOG = {
  'contact-contactId': 'not-on-list',
  'contact-relationship': 'EX_PARTNER',
  'contact-confidence': 'CONFIRMED',
  themes: ['THREATS_TO_HARM', 'CONTROLLING_BEHAVIOUR'],
  threatCount: 1,
  'threats-0-target': 'ex-partner',
  'threats-0-type': 'PHYSICAL',
  'threats-0-imminence': 'ON_RELEASE',
  'threats-0-quote': 'you will pay',
  concernLevel: 'HIGH',
  summary: 'Told his ex-partner she would pay when he is released; knows her new address.',
  recordingQuality: 'GOOD',
  action: 'submit',
};

/**
 * The fields a browser without JavaScript sends for the form `qa` as the page shows it: its hidden
 * inputs (but the CSRF token), checked radios and checkboxes, text inputs and textareas (no submit
 * button).
 */
function formAsSent(html: string, qa: string): Record<string, string | string[]> {
  const form = new RegExp(`<form[^>]*data-qa="${qa}"[\\s\\S]*?</form>`).exec(html)?.[0] ?? '';
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = fields[name];
    fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  };
  const attr = (tag: string, name: string) =>
    new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
  const unescape = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    // The client posts the CSRF token itself, as the page's hidden input would.
    if (!name || name === '_csrf') continue;
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue;
    add(name, unescape(attr(tag, 'value') ?? ''));
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    add(m[1], unescape(m[2].replace(/^\n/, '')));
  }
  return fields;
}

describe('web: the listener’s pages', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /**
   * A listener who leads a MAPPA prisoner with two calls waiting, one to a known victim (first in the
   * queue), with `victimCall` added to that call's record (e.g. a transcript).
   */
  async function world(victimCall: Record<string, unknown> = {}) {
    const s = await Scenario.create(api);
    const listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    const prisoner = await s.prisoner({
      mappaCategory: 1,
      mappaLevel: 2,
      roshLevel: 'HIGH',
      alertCodes: ['RDV'],
      leadListenerUsername: listener.username,
    });
    const victimNumber = randomMobile();
    const victimId = await s.contact(prisoner, {
      name: 'Jane Victim',
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [victimNumber],
    });
    await s.authorise(prisoner);
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: victimNumber, ...victimCall }),
      s.call(prisoner, { startedAt: new Date(Date.now() - 7_200_000).toISOString() }),
    ]);
    const web = new WebClient(api);
    await web.signIn(listener);
    return { s, listener, prisoner, victimId, web };
  }

  async function claimNext(web: WebClient): Promise<string> {
    await web.get('/my-work');
    const res = await web.post('/my-work/claim');
    expect(res.status).toBe(302);
    const id = /^\/calls\/([0-9a-f-]{36})\/listen$/.exec(res.headers.location)?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  it('My work: the button, the lead prisoners with calls waiting, then the claim held', async () => {
    const { prisoner, web } = await world();
    const page = await web.get('/my-work');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-qa="listen-next"');
    expect(page.text).toContain('Listen to next call');
    expect(page.text).toContain('You are not listening to a call.');
    expect(page.text).toMatch(new RegExp(`data-qa="waiting-${prisoner}"[^>]*>\\s*2\\s*<`));

    const id = await claimNext(web);
    const after = await web.get('/my-work');
    expect(after.text).toContain(`href="/calls/${id}/listen"`);
    expect(after.text).toMatch(new RegExp(`data-qa="waiting-${prisoner}"[^>]*>\\s*1\\s*<`));
  });

  it('My work: how many calls wait that I may take, and how many I logged this shift', async () => {
    const { s, web } = await world();
    // A call in a language this listener does not speak waits too, but not for them.
    const other = await s.prisoner();
    await s.authorise(other);
    await s.ingestAndTriage([s.call(other, {})]);
    await api.db.query(`UPDATE calls SET language = 'pl' WHERE prison_number = $1`, [other]);
    const before = await web.get('/my-work');
    expect(before.text).toMatch(/data-qa="queue-waiting">\s*2\s*</);
    expect(before.text).toMatch(/data-qa="logged-this-shift">\s*0\s*</);
    expect(before.text).toMatch(/Logged by you this shift \(since (07|19):00\)/);

    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    expect((await web.post(`/calls/${id}/log`, VALID_HIGH_LOG)).status).toBe(302);
    const after = await web.get('/my-work');
    expect(after.text).toMatch(/data-qa="queue-waiting">\s*1\s*</);
    expect(after.text).toMatch(/data-qa="logged-this-shift">\s*1\s*</);
  });

  it('the desk: the dialled contact chosen with its relationship, probable, the recording good', async () => {
    const { web, victimId } = await world();
    const id = await claimNext(web);
    const html = (await web.get(`/calls/${id}/listen`)).text;
    const contact = new RegExp(
      `name="contact-contactId" type="radio" value="${victimId}" checked[^>]*>\\s*<label[^>]*>\\s*Jane Victim \\(Ex-partner\\), the number dialled`,
    );
    expect(html).toMatch(contact);
    expect(html).toMatch(/name="contact-confidence" type="radio" value="PROBABLE" checked/);
    expect(html).toMatch(/name="recordingQuality" type="radio" value="GOOD" checked/);
    // Nothing about the concern is chosen for the listener.
    expect(html).not.toMatch(/name="concernLevel" type="radio" value="\w+" checked/);
    expect(html).not.toMatch(/name="themes" type="checkbox" value="\w+" checked/);
    // The player fetches nothing until play; the desk's script comes from this site, not inline.
    expect(html).toMatch(/<audio controls preload="none" src="\/calls\/[^"]+\/recording"/);
    expect(html).toContain('<script type="module" src="/assets/app/desk.js"></script>');
    expect(html).not.toMatch(/\son(click|change|keydown|submit)=/i);
    // The shortcuts are on the page.
    expect(html).toMatch(/data-qa="shortcuts"[\s\S]*Alt<\/kbd>\+<kbd>K<\/kbd> play or pause/);
    const script = await web.agent.get('/assets/app/desk.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect((await web.agent.get('/assets/app/desk.css')).status).toBe(200);
  });

  it('the desk: the transcript beside the player, its keyword hits marked in the text and on the bar', async () => {
    const { web } = await world({
      durationSeconds: 400,
      transcript: {
        segments: [
          { at: 0, text: 'Hello, it is me again.' },
          { at: 100, text: 'I am going to kill her when I get out.' },
          { at: 300, text: 'Anyway, see you at the visit.' },
        ],
      },
    });
    const id = await claimNext(web);
    const html = (await web.get(`/calls/${id}/listen`)).text;
    const lines = [...html.matchAll(/data-qa="transcript-line"/g)];
    expect(lines).toHaveLength(3);
    expect(html).toMatch(/data-at="100"[^>]*data-qa="transcript-line">\s*<span[^>]*>1:40<\/span>/);
    expect(html).toMatch(
      /<mark class="app-hit" data-qa="transcript-hit"[^>]*>(going to )?kill her<\/mark>/,
    );
    // One mark on the bar, a quarter of the way through the call.
    const marks = [...html.matchAll(/class="app-position__hit" x="([\d.]+)"/g)].map((m) => m[1]);
    expect(marks).toEqual(['25']);
    expect(html).toContain('aria-label="Keyword hits at 1:40"');
    const audited: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'TRANSCRIPT_READ'`,
      [id],
    );
    expect(audited[0].n).toBe(1);
  });

  it('without JavaScript, a no-concerns log is the page as sent plus “No concerns” and Submit', async () => {
    const { web, victimId } = await world();
    const id = await claimNext(web);
    const page = await web.get(`/calls/${id}/listen`);
    // What the browser would send: the form's hidden fields and its chosen defaults, as shown.
    const fields = formAsSent(page.text, 'log-form');
    expect(fields).toMatchObject({
      'contact-contactId': victimId,
      'contact-confidence': 'PROBABLE',
      recordingQuality: 'GOOD',
    });
    const res = await web.post(`/calls/${id}/log`, {
      ...fields,
      themes: 'NO_CONCERNS',
      action: 'submit',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/calls/${id}/logged`);
    const logs: { concernLevel: string; summary: string; themeCodes: string[] }[] =
      await api.db.query(
        `SELECT concern_level AS "concernLevel", summary, theme_codes AS "themeCodes" FROM monitoring_logs WHERE call_id = $1`,
        [id],
      );
    expect(logs).toEqual([
      {
        concernLevel: 'NONE',
        themeCodes: ['NO_CONCERNS'],
        summary: 'Listened to the call to Jane Victim (ex-partner): nothing of concern was heard.',
      },
    ]);
  });

  it('a no-concerns log keeps the level and the summary the listener gave', async () => {
    const { web } = await world();
    const id = await claimNext(web);
    const page = await web.get(`/calls/${id}/listen`);
    const summary = 'Spoke to his ex-partner about the children’s school; nothing said of concern.';
    const res = await web.post(`/calls/${id}/log`, {
      ...formAsSent(page.text, 'log-form'),
      themes: 'NO_CONCERNS',
      concernLevel: 'LOW',
      summary,
      action: 'submit',
    });
    expect(res.status).toBe(302);
    const logs: { concernLevel: string; summary: string }[] = await api.db.query(
      `SELECT concern_level AS "concernLevel", summary FROM monitoring_logs WHERE call_id = $1`,
      [id],
    );
    expect(logs).toEqual([{ concernLevel: 'LOW', summary }]);
  });

  it('Listen to next call leads to Listen and log with risk, reasons, contacts, audio, lease and forms', async () => {
    const { prisoner, web } = await world();
    const id = await claimNext(web);
    const page = await web.get(`/calls/${id}/listen`);
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain(`(${prisoner})`);
    expect(html).toContain('data-qa="risk-panel"');
    expect(html).toContain('Category 1, level 2');
    expect(html).toContain('High'); // RoSH
    expect(html).toContain('RDV');
    expect(html).toMatch(/data-qa="priority-reasons">[\s\S]*victim/i);
    expect(html).toContain('Jane Victim');
    expect(html).toContain('data-qa="recent-logs"');
    expect(html).toContain(
      `<audio controls preload="none" src="/calls/${id}/recording" data-qa="recording-player"`,
    );
    expect(html).toMatch(/data-qa="lease-minutes-left">(59|60)</);
    expect(html).toContain('data-qa="extend-form"');
    expect(html).toContain('data-qa="release-form"');
    expect(html).toContain('data-qa="log-form"');
    expect(html).toContain('id="summary"');
    expect(html).toContain('govuk-character-count');
  });

  it('streams the recording to the claimant (with ranges) and refuses another listener', async () => {
    const { s, web } = await world();
    const id = await claimNext(web);
    const full = await web.agent.get(`/calls/${id}/recording`);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toMatch(/^audio\/ogg/);
    expect(full.headers['accept-ranges']).toBe('bytes');
    const part = await web.agent.get(`/calls/${id}/recording`).set('Range', 'bytes=0-9');
    expect(part.status).toBe(206);

    const other = new WebClient(api);
    await other.signIn(await s.staff(['LISTENER'], { trainings: ALL_TRAININGS }));
    const refused = await other.get(`/calls/${id}/recording`);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('You do not have permission to see this page');
    const audited: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'RECORDING_REFUSED'`,
      [id],
    );
    expect(audited[0].n).toBe(1);
  });

  it('shows the error summary for an invalid log, linking each field and keeping what was typed', async () => {
    const { web } = await world();
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    const res = await web.post(`/calls/${id}/log`, {
      threatCount: 1,
      'threats-0-type': 'KILL',
      'threats-0-quote': 'words said',
      concernLevel: 'HIGH',
      summary: 'Too short to say much',
      action: 'submit',
    });
    expect(res.status).toBe(400);
    const links = errorSummaryLinks(res.text);
    expect(links).toEqual(
      expect.arrayContaining([
        '#contact-relationship',
        '#contact-confidence',
        '#themes',
        '#threats-0-target',
        '#summary',
        '#recordingQuality',
      ]),
    );
    expect(links.indexOf('#contact-relationship')).toBeLessThan(links.indexOf('#summary'));
    expect(res.text).toContain('Too short to say much</textarea>');
    expect(res.text).toContain('words said</textarea>');
    expect(res.text).toMatch(/value="KILL" checked/);
    expect(res.text).toMatch(/value="HIGH" checked/);
    expect(res.text).toContain('Error: Listen and log');
    const calls: { status: string }[] = await api.db.query(
      `SELECT status FROM calls WHERE id = $1`,
      [id],
    );
    expect(calls[0].status).toBe('CLAIMED');
  });

  it('adds another threat fieldset without JavaScript, keeping the values', async () => {
    const { web } = await world();
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    const res = await web.post(`/calls/${id}/log`, {
      threatCount: 1,
      'threats-0-target': 'her mother',
      summary: 'typed so far',
      action: 'add-threat',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="threats-1-target"');
    expect(res.text).toContain('value="her mother"');
    expect(res.text).toContain('name="threatCount" value="2"');
    expect(res.text).not.toContain('govuk-error-summary');
  });

  it('logs a HIGH concern with a threat and says what went to the POM and the IRMM', async () => {
    const { prisoner, web } = await world();
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    const res = await web.post(`/calls/${id}/log`, VALID_HIGH_LOG);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/calls/${id}/logged`);
    const done = await web.get(res.headers.location);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Log saved');
    expect(done.text).toMatch(/data-qa="escalations"[\s\S]*POM[\s\S]*IRMM/);
    // The prisoner by name, with the number (the scenario's prisoners are "Test Prisoner<n>").
    expect(done.text).toMatch(new RegExp(`Prisoner\\d+, Test \\(${prisoner}\\): high`));

    // The next call shows this log among the prisoner's last logs.
    const next = await claimNext(web);
    const listen = await web.get(`/calls/${next}/listen`);
    expect(listen.text).toMatch(
      /data-qa="recent-logs"[\s\S]*Threats to harm[\s\S]*knows her new address/,
    );
    const logs: { n: number }[] = await api.db.query(
      `SELECT count(*)::int AS n FROM monitoring_logs WHERE prison_number = $1`,
      [prisoner],
    );
    expect(logs[0].n).toBe(1);
  });

  it('extends the lease, and releases the call only with a reason from the list', async () => {
    const { web } = await world();
    const id = await claimNext(web);
    await web.get(`/calls/${id}/listen`);
    const extended = await web.post(`/calls/${id}/extend`);
    expect(extended.headers.location).toBe(`/calls/${id}/listen`);
    expect((await web.get(`/calls/${id}/listen`)).text).toContain(
      'Your lease on this call now ends at',
    );

    const noReason = await web.post(`/calls/${id}/release`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(errorSummaryLinks(noReason.text)).toEqual(['#release-reasonCode']);
    expect(noReason.text).toContain('Select why you are releasing this call');
    const unsaid = await web.post(`/calls/${id}/release`, { reasonCode: 'OTHER', reason: ' ' });
    expect(unsaid.status).toBe(400);
    expect(errorSummaryLinks(unsaid.text)).toEqual(['#release-reason']);
    expect(unsaid.text).toContain('Say why you are releasing this call');

    const released = await web.post(`/calls/${id}/release`, {
      reasonCode: 'NEEDS_LANGUAGE',
      reason: 'Needs a Polish speaker',
    });
    expect(released.headers.location).toBe('/my-work');
    const audit = await api.db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_events WHERE action = 'CLAIM_RELEASED' AND entity_id = $1`,
      [id],
    );
    expect(audit[0].details).toMatchObject({
      reasonCode: 'NEEDS_LANGUAGE',
      reason: 'Needs a Polish speaker',
    });
    const rows: { status: string }[] = await api.db.query(
      `SELECT status FROM calls WHERE id = $1`,
      [id],
    );
    expect(rows[0].status).toBe('PENDING');
    expect((await web.get('/my-work')).text).toContain('The call is back in the queue');
    // The page of a released call is refused with the reason, not a stack.
    const gone = await web.get(`/calls/${id}/listen`);
    expect(gone.status).toBe(409);
    expect(gone.text).toContain('Your lease on this call ended or it was released');
  });

  it('gives a POM the GOV.UK 403 page on the listener pages', async () => {
    const { s, web: listenerWeb } = await world();
    const id = await claimNext(listenerWeb);
    const pom: Staffer = await s.staff(['POM']);
    const web = new WebClient(api);
    await web.signIn(pom);
    for (const path of ['/my-work', `/calls/${id}/listen`]) {
      const res = await web.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('You do not have permission to see this page');
    }
    const claim = await web.post('/my-work/claim');
    expect(claim.status).toBe(403);
  });

  it('shows the 500 page without a stack when something unexpected fails', async () => {
    const { web } = await world();
    const spy = jest
      .spyOn(api.app.get(QueueService), 'myWork')
      .mockRejectedValueOnce(new Error('database exploded at /secret/place.ts:42'));
    try {
      const res = await web.get('/my-work');
      expect(res.status).toBe(500);
      expect(res.text).toContain('Sorry, there is a problem with the service');
      expect(res.text).not.toContain('exploded');
      expect(res.text).not.toContain('.ts:');
      expect(res.text).toContain('data-qa="correlation-id"');
    } finally {
      spy.mockRestore();
    }
  });
});
