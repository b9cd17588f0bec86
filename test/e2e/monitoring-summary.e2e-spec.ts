import { Clock } from '../../src/common/clock';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, randomPrisonNumber, Scenario, Staffer, toE164 } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const DAY_MS = 86_400_000;

/** Tomorrow noon UTC: after the database's "now", so every call made "days ago" is in the past. */
const FIXED = (() => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(12, 0, 0, 0);
  return d;
})();
const ago = (days: number) => new Date(FIXED.getTime() - days * DAY_MS).toISOString();

const THREAT_QUOTE = 'You will pay for this when I get out';
const OFFICER_QUOTE = `Tell him I'll "sort" him out & he knows it`;
const SCRIPT_SUMMARY =
  'Asked his son where his mother lives now <script>alert("x")</script> and told him to keep it secret.';

/** The London calendar month (YYYY-MM) of an instant, worked out independently of the code under test. */
function londonMonth(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}`;
}

function londonDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** Every London month from `from` to just before `to`, in order. */
function monthsBetween(from: string, to: string): string[] {
  const months = new Set<string>();
  const end = Date.parse(to) - 1;
  for (let t = Date.parse(from); t < end; t += 6 * 3_600_000) months.add(londonMonth(new Date(t)));
  months.add(londonMonth(new Date(end)));
  return [...months];
}

/** Windows-1252's bytes 0x80-0x9F (Node's TextDecoder reads them as Latin-1 control characters). */
const CP1252: Record<number, string> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((ch, i) => [0x80 + i, ch]),
);
const fromWindows1252 = (bytes: Buffer) =>
  [...bytes].map((b) => CP1252[b] ?? String.fromCharCode(b)).join('');

/** The text the PDF shows: pdfkit writes it as hex strings in TJ arrays (Windows-1252 bytes). */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const shown: string[] = [];
  for (const op of raw.matchAll(/\[((?:<[0-9a-fA-F]*>|[-+\d.\s])*)\]\s*TJ/g)) {
    shown.push(
      [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)]
        .map((hex) => fromWindows1252(Buffer.from(hex[1], 'hex')))
        .join(''),
    );
  }
  return shown.join('\n');
}
/** Lines wrap wherever the layout puts them: compare text without its whitespace. */
const squash = (text: string) => text.replace(/\s+/g, '');

interface Heard {
  callId: string;
  startedAt: string;
  log: { id: string; version: number };
}

describe('monitoring summary for MAPPA', () => {
  let api: TestApi;
  let s: Scenario;
  let pom: Staffer;
  let head: Staffer;
  let security: Staffer;
  let listener: Staffer;
  let prisoner: string;
  let authorisationId: string;
  const contacts: Record<'victim' | 'child' | 'friend' | 'acquaintance', string> = {
    victim: '',
    child: '',
    friend: '',
    acquaintance: '',
  };
  const numbers = {
    victim: randomMobile(),
    child: randomMobile(),
    friend: randomMobile(),
    acquaintance: randomMobile(),
    solicitor: randomMobile(),
  };
  const heard: Record<'victim' | 'child' | 'friend' | 'acquaintance', Heard> = {} as never;
  let amendedLogId: string;

  /** Ingests one call, claims it (the only one waiting) and logs it through HTTP. */
  async function hear(call: Record<string, unknown>, log: Record<string, unknown>): Promise<Heard> {
    await s.ingestAndTriage([call]);
    const claimed = await s.claim(listener).expect(200);
    expect(claimed.body.call.dialledNumber).toBe(toE164(call.dialledNumber as string));
    const res = await api.http
      .post(`/api/calls/${claimed.body.call.id}/log`)
      .set(bearer(listener.token))
      .send({ token: claimed.body.claim.token, recordingQuality: 'GOOD', ...log })
      .expect(201);
    return { callId: claimed.body.call.id, startedAt: call.startedAt as string, log: res.body.log };
  }

  const summary = (token: string, query = '') =>
    api.http.get(`/api/prisoners/${prisoner}/monitoring-summary${query}`).set(bearer(token));

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockImplementation(() => new Date(FIXED));
    s = await Scenario.create(api);
    pom = await s.staff(['POM']);
    head = await s.staff(['HEAD_OF_OMU']);
    security = await s.staff(['SECURITY_MANAGER']);
    listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    prisoner = await s.prisoner({
      firstName: 'Darren',
      lastName: "O'Neill",
      alertCodes: ['P66', 'RDV', 'ROH'],
      pomUsername: pom.username,
      earliestReleaseDate: '2027-01-15',
    });
    contacts.victim = await s.contact(prisoner, {
      name: 'Kelly Marsh',
      relationship: 'EX_PARTNER',
      isVictim: true,
      restriction: 'NO_CONTACT',
      phoneNumbers: [numbers.victim],
    });
    contacts.child = await s.contact(prisoner, {
      name: 'Jayden Marsh',
      relationship: 'CHILD',
      isChild: true,
      phoneNumbers: [numbers.child],
    });
    contacts.friend = await s.contact(prisoner, {
      name: 'Lee Carter',
      relationship: 'FRIEND',
      phoneNumbers: [numbers.friend],
    });
    contacts.acquaintance = await s.contact(prisoner, {
      name: 'Sam Price',
      relationship: 'FRIEND',
      phoneNumbers: [numbers.acquaintance],
    });
    await s.contact(prisoner, {
      name: 'Hart & Co Solicitors',
      relationship: 'LEGAL_ADVISER',
      phoneNumbers: [numbers.solicitor],
    });

    authorisationId = await s.authorise(
      prisoner,
      { type: 'OFFENCE_RELATED', channels: ['PHONE'], startsAt: ago(40) },
      { requester: security, approver: head },
    );
    await api.http
      .post(`/api/monitoring-authorisations/${authorisationId}/review`)
      .set(bearer(security.token))
      .send({
        decision: 'CONTINUE',
        rationale: 'Threats to his ex-partner continue; monitoring remains necessary.',
      })
      .expect(200);

    // Before the authorisation started (not monitored), and before the period altogether.
    const early = await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: numbers.victim, startedAt: ago(50) }),
      s.call(prisoner, { dialledNumber: numbers.victim, startedAt: ago(100) }),
    ]);
    expect(early.accepted).toBe(2);

    heard.victim = await hear(
      s.call(prisoner, { dialledNumber: numbers.victim, startedAt: ago(35) }),
      {
        contact: { contactId: contacts.victim, confidence: 'CONFIRMED' },
        themes: [{ code: 'THREATS_TO_HARM' }, { code: 'VICTIM_CONTACT' }],
        threats: [
          { target: 'ex-partner', type: 'PHYSICAL', imminence: 'ON_RELEASE', quote: THREAT_QUOTE },
        ],
        concernLevel: 'HIGH',
        summary:
          'Called his ex-partner despite the no-contact order; said she would pay when he is released.',
      },
    );
    heard.child = await hear(
      s.call(prisoner, { dialledNumber: numbers.child, startedAt: ago(20) }),
      {
        contact: { contactId: contacts.child, confidence: 'CONFIRMED' },
        themes: [{ code: 'CHILD_SAFEGUARDING' }],
        concernLevel: 'MEDIUM',
        summary: SCRIPT_SUMMARY,
      },
    );
    heard.friend = await hear(
      s.call(prisoner, { dialledNumber: numbers.friend, startedAt: ago(10) }),
      {
        contact: { contactId: contacts.friend, confidence: 'PROBABLE' },
        themes: [{ code: 'THREATS_TO_HARM' }, { code: 'WITNESS_INTIMIDATION' }],
        threats: [
          {
            target: 'a prison officer',
            type: 'PHYSICAL',
            imminence: 'UNSPECIFIED',
            quote: OFFICER_QUOTE,
          },
        ],
        concernLevel: 'MEDIUM',
        summary: 'Asked his friend to pass a message to an officer who gave evidence against him.',
      },
    );
    heard.acquaintance = await hear(
      s.call(prisoner, { dialledNumber: numbers.acquaintance, startedAt: ago(5) }),
      {
        contact: { contactId: contacts.acquaintance, confidence: 'CONFIRMED' },
        themes: [{ code: 'NO_CONCERNS' }],
        concernLevel: 'LOW',
        summary: 'Talked about football and his family visiting next month; nothing of concern.',
      },
    );
    // Amended: the summary must use the new version only.
    const amended = await api.http
      .post(`/api/logs/${heard.acquaintance.log.id}/amendments`)
      .set(bearer(listener.token))
      .send({
        reason: 'Listened again: he also discussed where he will live on release.',
        contact: { contactId: contacts.acquaintance, confidence: 'CONFIRMED' },
        themes: [{ code: 'RELEASE_PLANNING' }],
        concernLevel: 'LOW',
        summary: 'Talked about football, his family visiting, and where he will live on release.',
        recordingQuality: 'GOOD',
      })
      .expect(201);
    amendedLogId = amended.body.log.id;

    // Still waiting; privileged; a video call the phone authorisation does not cover.
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: numbers.victim, startedAt: ago(3) }),
      s.call(prisoner, { dialledNumber: numbers.solicitor, startedAt: ago(4) }),
      s.call(prisoner, { dialledNumber: numbers.child, startedAt: ago(6), channel: 'VIDEO' }),
    ]);
    const statuses = (await s.callsOf(prisoner)).map((c) => c.status);
    expect(statuses).toEqual([
      'NOT_MONITORED',
      'NOT_MONITORED',
      'LOGGED',
      'LOGGED',
      'LOGGED',
      'NOT_MONITORED',
      'LOGGED',
      'EXCLUDED_PRIVILEGED',
      'PENDING',
    ]);

    // The POM closes theirs with a note; the head of OMU makes the MAPPA referral; the IRMM stays open.
    const raised = await api.http
      .get(`/api/escalations?prisonNumber=${prisoner}`)
      .set(bearer(head.token))
      .expect(200);
    const byTarget = (t: string) =>
      (raised.body.items as { id: string; target: string }[]).find((e) => e.target === t)!;
    // Witness intimidation reaches security too (escalation rules v2), child safeguarding the COM.
    expect((raised.body.items as { target: string }[]).map((e) => e.target).sort()).toEqual([
      'COM',
      'IRMM',
      'MAPPA',
      'POM',
      'SECURITY',
    ]);
    await api.http
      .post(`/api/escalations/${byTarget('POM').id}/acknowledge`)
      .set(bearer(pom.token))
      .expect(200);
    await api.http
      .post(`/api/escalations/${byTarget('POM').id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'OTHER', note: 'Discussed with the <b>community</b> offender manager.' })
      .expect(200);
    await api.http
      .post(`/api/escalations/${byTarget('MAPPA').id}/close`)
      .set(bearer(head.token))
      .send({ outcome: 'MAPPA_REFERRAL_MADE' })
      .expect(200);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await api.close();
  });

  /** The summary for the default period, worked out from what beforeAll built. */
  async function expectedSummary() {
    const from = ago(90);
    const to = FIXED.toISOString();
    const authorisation = (
      await api.http
        .get(`/api/monitoring-authorisations/${authorisationId}`)
        .set(bearer(head.token))
        .expect(200)
    ).body;
    const escalations = (
      await api.http
        .get(`/api/escalations?prisonNumber=${prisoner}`)
        .set(bearer(head.token))
        .expect(200)
    ).body.items as Record<string, string | null>[];
    const themesByMonth = new Map<string, { logs: number; themes: Record<string, number> }>(
      monthsBetween(from, to).map((m) => [m, { logs: 0, themes: {} }]),
    );
    for (const [startedAt, themes] of [
      [heard.victim.startedAt, ['THREATS_TO_HARM', 'VICTIM_CONTACT']],
      [heard.child.startedAt, ['CHILD_SAFEGUARDING']],
      [heard.friend.startedAt, ['THREATS_TO_HARM', 'WITNESS_INTIMIDATION']],
      [heard.acquaintance.startedAt, ['RELEASE_PLANNING']], // the amended version
    ] as const) {
      const month = themesByMonth.get(londonMonth(new Date(startedAt)))!;
      month.logs += 1;
      for (const t of themes) month.themes[t] = (month.themes[t] ?? 0) + 1;
    }

    return {
      prisoner: {
        prisonNumber: prisoner,
        name: "Darren O'Neill",
        establishmentCode: s.establishment,
        establishmentName: `HMP Test ${s.establishment}`,
        mappaCategory: 2,
        mappaLevel: 1,
        roshLevel: 'HIGH',
        earliestReleaseDate: '2027-01-15',
        pomUsername: pom.username,
        alertCodes: ['P66', 'RDV', 'ROH'],
      },
      period: { from, to },
      generatedAt: FIXED.toISOString(),
      generatedBy: pom.username,
      monitoring: [
        {
          id: authorisationId,
          type: 'OFFENCE_RELATED',
          grounds: ['PUBLIC_SAFETY'],
          channels: ['PHONE'],
          status: 'ACTIVE',
          startsAt: ago(40),
          endsAt: null,
          endedAt: null,
          endReason: null,
          approvedBy: head.username,
          reviewDueAt: authorisation.reviewDueAt,
          reviews: [
            {
              decision: 'CONTINUE',
              rationale: 'Threats to his ex-partner continue; monitoring remains necessary.',
              reviewedBy: security.username,
              reviewedAt: authorisation.reviews[0].reviewedAt,
            },
          ],
        },
      ],
      communications: {
        made: 8,
        listenedTo: 4,
        pending: 1,
        notMonitored: 2,
        privilegedExcluded: 1,
        purged: 0,
        awaitingTriage: 0,
        byChannel: { PHONE: 7, VIDEO: 1, MAIL: 0 },
      },
      contactsOfConcern: [
        {
          id: contacts.victim,
          name: 'Kelly Marsh',
          relationship: 'EX_PARTNER',
          isVictim: true,
          isChild: false,
          restriction: 'NO_CONTACT',
          phoneNumbers: [toE164(numbers.victim)],
          callsInPeriod: 3, // 50 days ago (not monitored), heard 35 days ago, waiting from 3 days ago
          highestConcern: 'HIGH',
        },
        {
          id: contacts.child,
          name: 'Jayden Marsh',
          relationship: 'CHILD',
          isVictim: false,
          isChild: true,
          restriction: 'NONE',
          phoneNumbers: [toE164(numbers.child)],
          callsInPeriod: 2, // heard, and the video call
          highestConcern: 'MEDIUM',
        },
        {
          id: contacts.friend,
          name: 'Lee Carter',
          relationship: 'FRIEND',
          isVictim: false,
          isChild: false,
          restriction: 'NONE',
          phoneNumbers: [toE164(numbers.friend)],
          callsInPeriod: 1,
          highestConcern: 'MEDIUM',
        },
      ],
      themesOverTime: [...themesByMonth].map(([month, v]) => ({ month, ...v })),
      threats: [
        {
          date: heard.victim.startedAt,
          target: 'ex-partner',
          type: 'PHYSICAL',
          imminence: 'ON_RELEASE',
          quote: THREAT_QUOTE,
          logId: heard.victim.log.id,
        },
        {
          date: heard.friend.startedAt,
          target: 'a prison officer',
          type: 'PHYSICAL',
          imminence: 'UNSPECIFIED',
          quote: OFFICER_QUOTE,
          logId: heard.friend.log.id,
        },
      ],
      logsOfConcern: [
        {
          logId: heard.victim.log.id,
          callStartedAt: heard.victim.startedAt,
          contactName: 'Kelly Marsh',
          relationship: 'EX_PARTNER',
          confidence: 'CONFIRMED',
          concernLevel: 'HIGH',
          themes: ['THREATS_TO_HARM', 'VICTIM_CONTACT'],
          summary:
            'Called his ex-partner despite the no-contact order; said she would pay when he is released.',
          loggedBy: listener.username,
        },
        {
          logId: heard.child.log.id,
          callStartedAt: heard.child.startedAt,
          contactName: 'Jayden Marsh',
          relationship: 'CHILD',
          confidence: 'CONFIRMED',
          concernLevel: 'MEDIUM',
          themes: ['CHILD_SAFEGUARDING'],
          summary: SCRIPT_SUMMARY,
          loggedBy: listener.username,
        },
        {
          logId: heard.friend.log.id,
          callStartedAt: heard.friend.startedAt,
          contactName: 'Lee Carter',
          relationship: 'FRIEND',
          confidence: 'PROBABLE',
          concernLevel: 'MEDIUM',
          themes: ['THREATS_TO_HARM', 'WITNESS_INTIMIDATION'],
          summary:
            'Asked his friend to pass a message to an officer who gave evidence against him.',
          loggedBy: listener.username,
        },
      ],
      escalations: escalations
        .map((e) => ({
          id: e.id,
          target: e.target,
          status: e.status,
          reason: e.reason,
          concernLevel: e.concernLevel,
          createdAt: e.createdAt,
          closedAt: e.closedAt,
          outcome: e.outcome,
          outcomeNote: e.outcomeNote,
        }))
        .sort(
          (a, b) =>
            a.createdAt!.localeCompare(b.createdAt!) ||
            a.target!.localeCompare(b.target!) ||
            (a.id! < b.id! ? -1 : 1),
        ),
    };
  }

  it('the JSON for a hand-built history matches field by field, and the read is audited', async () => {
    const res = await summary(pom.token).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const expected = await expectedSummary();
    expect(res.body).toEqual(expected);
    // Spelled out where it matters most: the escalations and their outcomes.
    expect(
      (res.body.escalations as { target: string; status: string; outcome: string | null }[])
        .map((e) => [e.target, e.status, e.outcome])
        .sort(),
    ).toEqual([
      ['COM', 'OPEN', null],
      ['IRMM', 'OPEN', null],
      ['MAPPA', 'CLOSED', 'MAPPA_REFERRAL_MADE'],
      ['POM', 'CLOSED', 'OTHER'],
      ['SECURITY', 'OPEN', null],
    ]);

    const audit: {
      action: string;
      entityId: string;
      details: Record<string, unknown>;
      subjectIds: string[];
    }[] = await api.db.query(
      `SELECT action, entity_id AS "entityId", details, subject_ids AS "subjectIds" FROM audit_events
         WHERE username = $1 AND action IN ('MONITORING_SUMMARY_READ', 'LOG_READ') ORDER BY id`,
      [pom.username],
    );
    expect(audit.filter((a) => a.action === 'MONITORING_SUMMARY_READ')).toEqual([
      {
        action: 'MONITORING_SUMMARY_READ',
        entityId: prisoner,
        details: { from: ago(90), to: FIXED.toISOString(), format: 'json', logs: 4 },
        subjectIds: [],
      },
    ]);
    // The logs it draws on: one LOG_READ row naming them all, and the prisoner.
    const logReads = audit.filter((a) => a.action === 'LOG_READ');
    expect(logReads).toEqual([
      expect.objectContaining({ entityId: null, details: { via: 'monitoring-summary', count: 4 } }),
    ]);
    expect([...logReads[0].subjectIds].sort()).toEqual(
      [heard.victim.log.id, heard.child.log.id, heard.friend.log.id, amendedLogId, prisoner].sort(),
    );
  });

  it('a period given by from and to counts only what falls in it (to is exclusive)', async () => {
    const res = await summary(
      security.token,
      `?from=${encodeURIComponent(ago(12))}&to=${encodeURIComponent(ago(4))}`,
    ).expect(200);
    expect(res.body.period).toEqual({ from: ago(12), to: ago(4) });
    // 10 days ago (heard), 6 days ago (video, not monitored), 5 days ago (heard); not the privileged call at `to`.
    expect(res.body.communications).toEqual({
      made: 3,
      listenedTo: 2,
      pending: 0,
      notMonitored: 1,
      privilegedExcluded: 0,
      purged: 0,
      awaitingTriage: 0,
      byChannel: { PHONE: 2, VIDEO: 1, MAIL: 0 },
    });
    expect(res.body.threats.map((t: { quote: string }) => t.quote)).toEqual([OFFICER_QUOTE]);
    expect(
      res.body.contactsOfConcern.map((c: { name: string; callsInPeriod: number }) => [
        c.name,
        c.callsInPeriod,
      ]),
    ).toEqual([
      ['Kelly Marsh', 0],
      ['Jayden Marsh', 1],
      ['Lee Carter', 1],
    ]);
  });

  it('the HTML page is titled, marked, accessible and escapes what listeners wrote', async () => {
    const res = await api.http
      .get(`/api/prisoners/${prisoner}/monitoring-summary`)
      .set(bearer(head.token))
      .set('Accept', 'text/html')
      .expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(
      `<title>Communications monitoring summary — Darren O&#39;Neill (${prisoner})</title>`,
    );
    expect(html).toContain('<p class="marking">OFFICIAL-SENSITIVE</p>');
    expect(html).toContain('@media print');
    expect(html).toContain('<caption>Threats recorded in the period, oldest first</caption>');
    expect(html).toContain('<th scope="col">Words used</th>');
    expect(html).toContain('<th scope="row">Prison number</th>');
    expect(html).toContain(THREAT_QUOTE);
    expect(html).toContain('Tell him I&#39;ll &quot;sort&quot; him out &amp; he knows it');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Discussed with the &lt;b&gt;community&lt;/b&gt; offender manager.');
    expect(html).not.toMatch(/<script|<b>|src=|href=/i);
    // Staff by name beside their usernames: who produced it, the POM, the listener who logged.
    expect(html).toContain(`by Test HEAD_OF_OMU (${head.username})</p>`);
    expect(html).toContain(`>Test POM (${pom.username})<`);
    expect(html).toContain(`>Test LISTENER (${listener.username})<`);

    // ?format= wins over the Accept header.
    const forced = await summary(pom.token, '?format=html')
      .set('Accept', 'application/json')
      .expect(200);
    expect(forced.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('the PDF is produced and contains the prisoner’s name and the threats', async () => {
    /** supertest does not buffer application/pdf by itself. */
    const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
      const stream = res as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    };
    const res = await summary(pom.token, '?format=pdf').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="monitoring-summary-${prisoner}-${londonDate(ago(90))}-${londonDate(FIXED.toISOString())}.pdf"`,
    );
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = squash(pdfText(pdf));
    expect(text).toContain(
      squash(`Communications monitoring summary — Darren O'Neill (${prisoner})`),
    );
    expect(text).toContain(squash(THREAT_QUOTE));
    expect(text).toContain(squash(OFFICER_QUOTE));
    expect(text).toContain('OFFICIAL-SENSITIVE');
    expect(text).toContain(squash('Threats (verbatim)'));
    expect(text).toContain(squash(`Test POM (${pom.username})`));

    // The Accept header alone asks for it too.
    const accepted = await summary(head.token)
      .set('Accept', 'application/pdf')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(accepted.headers['content-type']).toBe('application/pdf');
    expect((accepted.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses a listener and a POM of another establishment; 404 for an unknown prisoner; 400 for a bad period', async () => {
    await summary(listener.token).expect(403);
    const elsewhere = await Scenario.create(api);
    const otherPom = await elsewhere.staff(['POM']);
    await summary(otherPom.token).expect(403);
    const refused: unknown[] = await api.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'MONITORING_SUMMARY_READ' AND username = ANY($1)`,
      [[listener.username, otherPom.username]],
    );
    expect(refused).toHaveLength(0);

    await api.http
      .get(`/api/prisoners/${randomPrisonNumber()}/monitoring-summary`)
      .set(bearer(pom.token))
      .expect(404);

    const bad = async (query: string, field: string) => {
      const res = await summary(pom.token, query).expect(400);
      expect(res.body.details[0].field).toBe(field);
    };
    await bad(`?from=${encodeURIComponent(ago(2))}&to=${encodeURIComponent(ago(3))}`, 'from');
    await bad(`?from=${encodeURIComponent(ago(400))}`, 'from');
    await bad('?from=last-tuesday', 'from');
    await bad('?to=2026-13-45T00:00:00Z', 'to');
    await bad('?format=docx', 'format');
    await summary(pom.token, `?from=${encodeURIComponent(ago(366))}`).expect(200);
  });
});
