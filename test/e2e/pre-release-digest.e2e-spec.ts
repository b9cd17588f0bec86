// Why this file is long: the digest's formats, its content, who may read it, the sending, the
// register and the handover job are one flow over one seeded prisoner; split, each would reseed it.
import { createHash } from 'node:crypto';
import { PreReleaseDigestService } from '../../src/reports/digest.service';
import { canonicalJson } from '../../src/reports/pre-release-digest';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, Staffer, toE164 } from '../support/scenario';

const ALL_TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'];
const DAY_MS = 86_400_000;
const THREAT_QUOTE = 'You will pay for this when I get out, Kelly';
const COM = {
  name: 'Sam Okafor',
  email: 'sam.okafor@justice.gov.uk',
  probationDeliveryUnit: 'Leeds North PDU',
};

/** supertest does not buffer application/pdf by itself. */
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const dayFromNow = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

interface Digest {
  kind: string;
  prisoner: { prisonNumber: string; com: Record<string, unknown> | null; handoverDate: string };
  period: { from: string; to: string };
  inBrief: string[];
  contactsHeard: {
    name: string | null;
    relationship: string;
    dialledNumber: string | null;
    calls: number;
    heard: number;
  }[];
  themes: { code: string; logs: number }[];
  threats: { quote: string | null; target: string }[];
  escalations: { target: string; status: string; outcome: string | null }[];
  identifications: { number: string; status: string; identifiedAs: string | null }[];
}

describe('pre-release monitoring digest for the COM', () => {
  let api: TestApi;
  let s: Scenario;
  let pom: Staffer;
  let otherPom: Staffer;
  let head: Staffer;
  let listener: Staffer;
  let security: Staffer;
  let prisoner: string;
  const numbers = {
    victim: randomMobile(),
    newFriend: randomMobile(),
    unknown: randomMobile(),
    solicitor: randomMobile(),
  };

  /** Ingests one call, claims it (the only one waiting) and logs it through HTTP. */
  async function hear(call: Record<string, unknown>, log: Record<string, unknown>) {
    await s.ingestAndTriage([call]);
    const claimed = await s.claim(listener).expect(200);
    const res = await api.http
      .post(`/api/calls/${claimed.body.call.id}/log`)
      .set(bearer(listener.token))
      .send({ token: claimed.body.claim.token, recordingQuality: 'GOOD', ...log })
      .expect(201);
    return res.body as { log: { id: string }; escalations: { id: string; target: string }[] };
  }

  const digest = (token: string, query = '', prisonNumber = prisoner) =>
    api.http.get(`/api/prisoners/${prisonNumber}/pre-release-digest${query}`).set(bearer(token));
  const sent = (token: string, body: Record<string, unknown>, prisonNumber = prisoner) =>
    api.http
      .post(`/api/prisoners/${prisonNumber}/pre-release-digest/sent`)
      .set(bearer(token))
      .send(body);
  const fields = (body: ErrorBody) => [...new Set(body.details.map((d) => d.field))];

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
    pom = await s.staff(['POM']);
    otherPom = await s.staff(['POM']);
    head = await s.staff(['HEAD_OF_OMU']);
    security = await s.staff(['SECURITY_MANAGER']);
    listener = await s.staff(['LISTENER'], { trainings: ALL_TRAININGS });
    prisoner = await s.prisoner({
      firstName: 'Darren',
      lastName: "O'Neill",
      alertCodes: ['P66', 'RDV', 'ROH'],
      pomUsername: pom.username,
      earliestReleaseDate: dayFromNow(40),
      com: COM,
      handoverDate: dayFromNow(-1),
    });
    const victim = await s.contact(prisoner, {
      name: 'Kelly Marsh',
      relationship: 'EX_PARTNER',
      isVictim: true,
      restriction: 'NO_CONTACT',
      phoneNumbers: [numbers.victim],
    });
    await s.privilegedNumber(numbers.solicitor);
    await s.authorise(prisoner, { startsAt: daysAgo(60) });

    // A threat to the victim, heard, escalated; the POM escalation closed with an outcome.
    const threat = await hear(
      s.call(prisoner, { dialledNumber: numbers.victim, startedAt: daysAgo(20) }),
      {
        contact: { contactId: victim, relationship: 'EX_PARTNER', confidence: 'CONFIRMED' },
        themes: [{ code: 'THREATS_TO_HARM' }, { code: 'CONTROLLING_BEHAVIOUR' }],
        threats: [
          { target: 'ex-partner', type: 'PHYSICAL', imminence: 'ON_RELEASE', quote: THREAT_QUOTE },
        ],
        concernLevel: 'HIGH',
        summary:
          'Told his ex-partner she would pay when he is released; knows where she lives now.',
      },
    );
    const pomEscalation = threat.escalations.find((e) => e.target === 'POM')!;
    await api.http
      .post(`/api/escalations/${pomEscalation.id}/close`)
      .set(bearer(pom.token))
      .send({ outcome: 'RISK_MANAGEMENT_PLAN_UPDATED' })
      .expect(200);
    // A number on no list, identified as a friend (becomes a contact with the listener as source).
    await hear(s.call(prisoner, { dialledNumber: numbers.newFriend, startedAt: daysAgo(10) }), {
      contact: {
        contactId: null,
        name: 'Lee Grant',
        relationship: 'FRIEND',
        confidence: 'CONFIRMED',
      },
      themes: [{ code: 'NO_CONCERNS' }],
      threats: [],
      concernLevel: 'NONE',
      summary: 'Spoke to a friend called Lee about football and visits; nothing of concern heard.',
    });
    // A number nobody could place: an identification task.
    await hear(s.call(prisoner, { dialledNumber: numbers.unknown, startedAt: daysAgo(5) }), {
      contact: { contactId: null, relationship: 'UNKNOWN', confidence: 'UNIDENTIFIED' },
      themes: [{ code: 'RELEASE_PLANNING' }],
      threats: [],
      concernLevel: 'LOW',
      summary:
        'Spoke to an unknown man about somewhere to stay after release; could not place him.',
    });
    // A privileged call: never heard, never disclosed.
    await s.ingestAndTriage([
      s.call(prisoner, { dialledNumber: numbers.solicitor, startedAt: daysAgo(3) }),
    ]);
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers JSON with the COM, contacts heard, themes, threats verbatim, escalations and identifications', async () => {
    const res = await digest(pom.token).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const d = res.body as Digest;
    expect(d.kind).toBe('PRE_RELEASE_DIGEST');
    expect(d.prisoner).toMatchObject({
      prisonNumber: prisoner,
      com: { name: 'Sam Okafor', email: COM.email, probationDeliveryUnit: 'Leeds North PDU' },
      handoverDate: dayFromNow(-1),
    });
    // Six months up to now.
    const span = Date.parse(d.period.to) - Date.parse(d.period.from);
    expect(span).toBeGreaterThan(180 * DAY_MS);
    expect(span).toBeLessThan(185 * DAY_MS);

    expect(d.contactsHeard).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Kelly Marsh',
          relationship: 'EX_PARTNER',
          calls: 1,
          heard: 1,
        }),
        expect.objectContaining({ relationship: 'FRIEND', calls: 1, heard: 1 }),
        expect.objectContaining({
          name: null,
          relationship: 'UNKNOWN',
          dialledNumber: toE164(numbers.unknown),
          calls: 1,
          heard: 1,
        }),
      ]),
    );
    expect(d.contactsHeard).toHaveLength(3);
    // The privileged call is nowhere in the digest.
    expect(JSON.stringify(d)).not.toContain(toE164(numbers.solicitor));

    expect(d.themes).toEqual(
      expect.arrayContaining([
        { code: 'THREATS_TO_HARM', logs: 1 },
        { code: 'CONTROLLING_BEHAVIOUR', logs: 1 },
        { code: 'RELEASE_PLANNING', logs: 1 },
      ]),
    );
    expect(d.threats).toEqual([
      expect.objectContaining({ quote: THREAT_QUOTE, target: 'ex-partner' }),
    ]);
    expect(d.escalations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'POM',
          status: 'CLOSED',
          outcome: 'RISK_MANAGEMENT_PLAN_UPDATED',
        }),
      ]),
    );
    expect(d.identifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          number: toE164(numbers.newFriend),
          status: 'IDENTIFIED',
          identifiedAs: 'Lee Grant',
        }),
        expect.objectContaining({ number: toE164(numbers.unknown), status: 'NOT_YET_IDENTIFIED' }),
      ]),
    );
    expect(d.inBrief[0]).toBe(
      "Darren O'Neill made 4 communications in the period; 3 were listened to and logged.",
    );
  });

  it('answers HTML (self-contained, escaped) and an accessible tagged PDF', async () => {
    const html = await digest(head.token, '?format=html').expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.text).toContain('<html lang="en-GB">');
    expect(html.text).toContain(`Pre-release monitoring digest — Darren O&#39;Neill (${prisoner})`);
    expect(html.text).toContain(`“${THREAT_QUOTE}”`);
    expect(html.text).toContain('Sam Okafor');
    expect(html.text).toContain('OFFICIAL-SENSITIVE');

    const pdf = await digest(pom.token, '?format=pdf').buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(
      new RegExp(
        `^attachment; filename="pre-release-digest-${prisoner}-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`,
      ),
    );
    const raw = (pdf.body as Buffer).toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).toContain('/S /Table');
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)]
      .map((m) => Buffer.from(m[1], 'hex').toString('latin1'))
      .join('')
      .replace(/\s+/g, '');
    expect(text).toContain(THREAT_QUOTE.replace(/\s+/g, ''));

    // Accept alone asks for it too.
    const accepted = await digest(pom.token).set('Accept', 'text/html').expect(200);
    expect(accepted.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('refuses another POM, a listener and a head of OMU elsewhere (403); 404 for an unknown prisoner', async () => {
    await digest(otherPom.token).expect(403);
    await digest(listener.token).expect(403);
    await sent(otherPom.token, { to: 'x', analysis: 'y', sentAt: new Date().toISOString() }).expect(
      403,
    );
    const elsewhere = await s.staff(['HEAD_OF_OMU'], {
      establishments: [await s.newEstablishment()],
    });
    await digest(elsewhere.token).expect(403);
    await digest(pom.token, '', 'Z9999ZZ').expect(404);
    const bad = await digest(pom.token, '?format=docx').expect(400);
    expect(fields(bad.body as ErrorBody)).toEqual(['format']);
  });

  it.each([
    ['no recipient', { analysis: 'Analysis', sentAt: daysAgo(0) }, 'to'],
    ['a blank recipient', { to: '   ', analysis: 'Analysis', sentAt: daysAgo(0) }, 'to'],
    ['no analysis', { to: 'Sam Okafor', sentAt: daysAgo(0) }, 'analysis'],
    ['a blank analysis', { to: 'Sam Okafor', analysis: ' \n ', sentAt: daysAgo(0) }, 'analysis'],
    [
      'an analysis too long',
      { to: 'Sam Okafor', analysis: 'x'.repeat(10_001), sentAt: daysAgo(0) },
      'analysis',
    ],
    [
      'a sent time in the future',
      {
        to: 'Sam Okafor',
        analysis: 'Analysis',
        sentAt: new Date(Date.now() + DAY_MS).toISOString(),
      },
      'sentAt',
    ],
    [
      '30 February',
      { to: 'Sam Okafor', analysis: 'Analysis', sentAt: '2026-02-30T10:00:00Z' },
      'sentAt',
    ],
    ['no sent time', { to: 'Sam Okafor', analysis: 'Analysis' }, 'sentAt'],
    [
      'an unknown field',
      { to: 'Sam Okafor', analysis: 'Analysis', sentAt: daysAgo(0), cc: 'x' },
      'cc',
    ],
  ])(
    'refuses %s with a 400 naming the field, and registers nothing',
    async (_name, body, field) => {
      const before = await api.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM disclosures WHERE prison_number = $1`,
        [prisoner],
      );
      const res = await sent(pom.token, body).expect(400);
      expect(fields(res.body as ErrorBody)).toEqual([field]);
      const after = await api.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM disclosures WHERE prison_number = $1`,
        [prisoner],
      );
      expect(after[0].n).toBe(before[0].n);
    },
  );

  it('the handover job marks a digest due once; sending it closes the mark; the register shows what was sent', async () => {
    const jobs = api.app.get(PreReleaseDigestService);
    const future = await s.prisoner({ pomUsername: pom.username, handoverDate: dayFromNow(30) });
    await jobs.markDigestsDue();
    await jobs.markDigestsDue();
    const marks = await api.db.query<{ prisonNumber: string; disclosureId: string | null }[]>(
      `SELECT prison_number AS "prisonNumber", disclosure_id AS "disclosureId"
       FROM pre_release_digests_due WHERE prison_number = ANY($1)`,
      [[prisoner, future]],
    );
    expect(marks).toEqual([{ prisonNumber: prisoner, disclosureId: null }]);
    const dueAudits = await api.db.query<{ username: string }[]>(
      `SELECT username FROM audit_events WHERE action = 'PRE_RELEASE_DIGEST_DUE' AND entity_id = $1`,
      [prisoner],
    );
    expect(dueAudits).toEqual([{ username: 'system' }]);

    const sentAt = new Date(Date.now() - 3_600_000).toISOString();
    const res = await sent(pom.token, {
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      analysis: '  He minimises the threats to Kelly. Plan her safety before release.  ',
      sentAt,
    }).expect(201);
    const disclosure = res.body as { id: string; contentSha256: string; to: string };
    expect(disclosure).toMatchObject({
      kind: 'PRE_RELEASE_DIGEST',
      prisonNumber: prisoner,
      prisonerName: "Darren O'Neill",
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      analysis: 'He minimises the threats to Kelly. Plan her safety before release.',
      sentAt,
      sentBy: pom.username,
      sentByName: 'Test POM',
    });
    // The mark is closed; running the job again adds nothing.
    await jobs.markDigestsDue();
    expect(
      await api.db.query(
        `SELECT disclosure_id AS "disclosureId" FROM pre_release_digests_due WHERE prison_number = $1`,
        [prisoner],
      ),
    ).toEqual([{ disclosureId: disclosure.id }]);

    // The register, for the head of OMU and the POM; the digest as sent, with its hash.
    const register = await api.http
      .get(`/api/disclosures?establishment=${s.establishment}`)
      .set(bearer(head.token))
      .expect(200);
    expect(register.body).toMatchObject({
      total: 1,
      items: [
        { id: disclosure.id, to: disclosure.to, sentBy: pom.username, sentByName: 'Test POM' },
      ],
    });
    const one = await api.http
      .get(`/api/disclosures/${disclosure.id}`)
      .set(bearer(security.token))
      .expect(200);
    const snapshot = (one.body as { digest: Digest }).digest;
    expect(snapshot.threats).toEqual([expect.objectContaining({ quote: THREAT_QUOTE })]);
    expect(createHash('sha256').update(canonicalJson(snapshot)).digest('hex')).toBe(
      disclosure.contentSha256,
    );
    const asSent = await api.http
      .get(`/api/disclosures/${disclosure.id}?format=html`)
      .set(bearer(pom.token))
      .expect(200);
    expect(asSent.text).toContain('He minimises the threats to Kelly.');
    expect(asSent.text).toContain('Sent to Sam Okafor &lt;sam.okafor@justice.gov.uk&gt;');
    // The sender by name, the username beside it for the audit trail.
    expect(asSent.text).toContain(`by Test POM (${pom.username})`);
    // Another establishment sees none of it.
    const elsewhere = await s.staff(['HEAD_OF_OMU'], {
      establishments: [await s.newEstablishment()],
    });
    await api.http
      .get(`/api/disclosures?establishment=${s.establishment}`)
      .set(bearer(elsewhere.token))
      .expect(403);
    await api.http
      .get(`/api/disclosures/${disclosure.id}`)
      .set(bearer(elsewhere.token))
      .expect(403);
    await api.http.get('/api/disclosures').set(bearer(listener.token)).expect(403);

    // The register is append-only.
    await expect(
      api.db.query(`UPDATE disclosures SET recipient = 'someone else' WHERE id = $1`, [
        disclosure.id,
      ]),
    ).rejects.toThrow(/append-only/);
  });

  it('audits every read and the sending as a disclosure of intercepted material', async () => {
    const audits = await api.db.query<
      { action: string; username: string; entityId: string; details: Record<string, unknown> }[]
    >(
      `SELECT action, username, entity_id AS "entityId", details FROM audit_events
       WHERE action IN ('PRE_RELEASE_DIGEST_READ', 'PRE_RELEASE_DIGEST_SENT', 'DISCLOSURE_READ', 'DISCLOSURES_READ')
         AND (entity_id = $1 OR details->>'prisonNumber' = $1 OR $1 = ANY(subject_ids))
       ORDER BY id`,
      [prisoner],
    );
    const reads = audits.filter((a) => a.action === 'PRE_RELEASE_DIGEST_READ');
    expect(reads.map((a) => [a.username, a.details.format])).toEqual([
      [pom.username, 'json'],
      [head.username, 'html'],
      [pom.username, 'pdf'],
      [pom.username, 'html'],
    ]);
    for (const a of audits) expect(a.details.disclosure).toBe('INTERCEPTED_MATERIAL');
    const sentRow = audits.find((a) => a.action === 'PRE_RELEASE_DIGEST_SENT')!;
    expect(sentRow.details).toMatchObject({
      prisonNumber: prisoner,
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      dueClosed: 1,
    });
    expect((sentRow.details.logIds as string[]).length).toBe(3);
    // The analysis and the threats stay in the register, never in the audit trail.
    expect(JSON.stringify(audits)).not.toContain('minimises');
    expect(JSON.stringify(audits)).not.toContain(THREAT_QUOTE);
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['DISCLOSURES_READ', 'DISCLOSURE_READ']),
    );
    // Each digest read also reads the logs it draws on.
    const logReads = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE action = 'LOG_READ' AND details->>'via' = 'pre-release-digest' AND $1 = ANY(subject_ids)`,
      [prisoner],
    );
    expect(logReads[0].n).toBeGreaterThanOrEqual(4);
  });
});
