/* Why this file is long: one spec for the digest's whole rule set (what is in it, what is left out,
   the snapshot and its hash), sharing one set of fact builders. */
import { LogRow } from '../logs/logs.repository';
import { PrisonerRow } from '../prisoners/prisoners.repository';
import { digestDocument } from './digest-document';
import { buildMonitoringSummary, SummaryFacts } from './monitoring-summary';
import {
  buildPreReleaseDigest,
  canonicalJson,
  DigestFacts,
  digestHash,
  digestPeriod,
} from './pre-release-digest';
import { documentStaff } from './summary-document';
import { renderDocumentHtml } from './summary-html';
import { renderDocumentPdf } from './summary-pdf';

const NOW = new Date('2026-12-03T12:00:00Z');
const PERIOD = digestPeriod(NOW);
const COM = {
  name: 'Sam Okafor',
  email: 'sam.okafor@justice.gov.uk',
  phone: null,
  probationDeliveryUnit: 'Leeds North PDU',
  allocatedOn: '2026-11-02',
};
const QUOTE = 'You will pay for this when I get out';

const prisoner: PrisonerRow = {
  prisonNumber: 'A1234BC',
  firstName: 'Darren',
  lastName: "O'Neill",
  establishmentCode: 'NHI',
  alertCodes: ['P66', 'RDV'],
  mappaCategory: 2,
  mappaLevel: 1,
  roshLevel: 'HIGH',
  earliestReleaseDate: '2027-01-15',
  mappaLevelReviewedAt: null,
  pomUsername: 'pom1',
  leadListenerUsername: null,
  languages: ['en'],
  com: COM,
  handoverDate: '2026-12-01',
  updatedAt: NOW,
};

let seq = 0;
function log(over: Partial<LogRow>): LogRow {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    callId: `call-${seq}`,
    version: 1,
    supersedesId: null,
    amendmentReason: null,
    prisonNumber: 'A1234BC',
    establishmentCode: 'NHI',
    authorUsername: 'listener1',
    contactId: null,
    relationship: 'PARTNER',
    confidence: 'CONFIRMED',
    contactIsChild: false,
    themes: [],
    themeCodes: ['NO_CONCERNS'],
    threats: [],
    concernLevel: 'LOW',
    summary: 'A call with nothing of concern heard in it at all, by the listener.',
    recordingQuality: 'GOOD',
    language: 'en',
    claimedAt: null,
    handlingSeconds: 60,
    createdAt: NOW,
    callStartedAt: new Date('2026-11-01T10:00:00Z'),
    dialledNumber: '+447911000000',
    ...over,
  };
}

const logs = [
  log({
    contactId: 'c-victim',
    relationship: 'EX_PARTNER',
    themeCodes: ['THREATS_TO_HARM', 'CONTROLLING_BEHAVIOUR'],
    concernLevel: 'HIGH',
    threats: [{ target: 'ex-partner', type: 'PHYSICAL', imminence: 'ON_RELEASE', quote: QUOTE }],
    callStartedAt: new Date('2026-10-10T18:00:00Z'),
  }),
  log({
    contactId: 'c-victim',
    relationship: 'EX_PARTNER',
    themeCodes: ['CONTROLLING_BEHAVIOUR'],
    concernLevel: 'MEDIUM',
    callStartedAt: new Date('2026-11-10T18:00:00Z'),
  }),
  log({
    dialledNumber: '+447700900555',
    relationship: 'FRIEND',
    confidence: 'PROBABLE',
    callStartedAt: new Date('2026-11-20T18:00:00Z'),
  }),
];

function summaryFacts(): SummaryFacts {
  return {
    prisoner,
    establishmentName: 'HMP New Hall',
    period: PERIOD,
    generatedAt: NOW,
    generatedBy: 'pom1',
    authorisations: [],
    reviews: [],
    communications: {
      made: 7,
      listenedTo: 3,
      pending: 1,
      notMonitored: 0,
      privilegedExcluded: 3,
      purged: 0,
      awaitingTriage: 0,
      byChannel: { PHONE: 7, VIDEO: 0, MAIL: 0 },
    },
    contacts: [
      {
        id: 'c-victim',
        name: 'Kelly Marsh',
        relationship: 'EX_PARTNER',
        isVictim: true,
        isChild: false,
        restriction: 'NO_CONTACT',
        phoneNumbers: ['+447700900111'],
        callsInPeriod: 3,
      },
    ],
    logs,
    escalations: [
      {
        id: 'e1',
        target: 'POM',
        status: 'CLOSED',
        reason: 'Threat heard',
        concernLevel: 'HIGH',
        createdAt: new Date('2026-10-10T19:00:00Z'),
        closedAt: new Date('2026-10-12T09:00:00Z'),
        outcome: 'MAPPA_REFERRAL_MADE',
        outcomeNote: 'Referred for a level review',
      },
      {
        id: 'e2',
        target: 'COM',
        status: 'OPEN',
        reason: 'Release planning',
        concernLevel: 'MEDIUM',
        createdAt: new Date('2026-11-10T19:00:00Z'),
        closedAt: null,
        outcome: null,
        outcomeNote: null,
      },
    ],
  };
}

function digestFacts(over: Partial<DigestFacts> = {}): DigestFacts {
  return {
    summary: buildMonitoringSummary(summaryFacts()),
    com: COM,
    handoverDate: '2026-12-01',
    contactsHeard: [
      {
        contactId: 'c-victim',
        name: 'Kelly Marsh',
        relationship: 'EX_PARTNER',
        dialledNumber: null,
        calls: 3,
        heard: 2,
      },
      {
        contactId: null,
        name: null,
        relationship: null,
        dialledNumber: '+447700900555',
        calls: 1,
        heard: 1,
      },
    ],
    logs,
    identifiedContacts: [
      {
        name: 'Lee Grant',
        relationship: 'FRIEND',
        phoneNumbers: ['+447700900666'],
        identifiedBy: 'listener1',
        identifiedAt: new Date('2026-11-05T10:00:00Z'),
      },
    ],
    identificationTasks: [
      {
        dialledNumber: '+447700900777',
        status: 'OPEN',
        raisedAt: new Date('2026-11-25T10:00:00Z'),
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
      },
    ],
    ...over,
  };
}

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('pre-release digest', () => {
  it('covers the six calendar months up to now', () => {
    expect(PERIOD).toEqual({ from: new Date('2026-06-03T12:00:00Z'), to: NOW });
  });

  it('carries the COM and handover date with the prisoner', () => {
    const d = buildPreReleaseDigest(digestFacts());
    expect(d.kind).toBe('PRE_RELEASE_DIGEST');
    expect(d.prisoner).toMatchObject({
      prisonNumber: 'A1234BC',
      name: "Darren O'Neill",
      com: COM,
      handoverDate: '2026-12-01',
    });
  });

  it('lists who was called, describing a number on no list as the listeners did', () => {
    const d = buildPreReleaseDigest(digestFacts());
    expect(d.contactsHeard).toEqual([
      {
        name: 'Kelly Marsh',
        relationship: 'EX_PARTNER',
        confidence: null,
        dialledNumber: null,
        calls: 3,
        heard: 2,
      },
      {
        name: null,
        relationship: 'FRIEND',
        confidence: 'PROBABLE',
        dialledNumber: '+447700900555',
        calls: 1,
        heard: 1,
      },
    ]);
  });

  it('totals the themes over the period, most heard first', () => {
    expect(buildPreReleaseDigest(digestFacts()).themes).toEqual([
      { code: 'CONTROLLING_BEHAVIOUR', logs: 2 },
      { code: 'NO_CONCERNS', logs: 1 },
      { code: 'THREATS_TO_HARM', logs: 1 },
    ]);
  });

  it('keeps threats verbatim and escalations with their outcomes, from the summary', () => {
    const d = buildPreReleaseDigest(digestFacts());
    expect(d.threats).toEqual([expect.objectContaining({ quote: QUOTE, target: 'ex-partner' })]);
    expect(d.escalations.map((e) => [e.target, e.status, e.outcome])).toEqual([
      ['POM', 'CLOSED', 'MAPPA_REFERRAL_MADE'],
      ['COM', 'OPEN', null],
    ]);
  });

  it('lists identifications oldest first: numbers identified and numbers not yet placed', () => {
    expect(buildPreReleaseDigest(digestFacts()).identifications).toEqual([
      {
        number: '+447700900666',
        status: 'IDENTIFIED',
        identifiedAs: 'Lee Grant',
        relationship: 'FRIEND',
        by: 'listener1',
        at: '2026-11-05T10:00:00.000Z',
        note: null,
      },
      {
        number: '+447700900777',
        status: 'NOT_YET_IDENTIFIED',
        identifiedAs: null,
        relationship: null,
        by: null,
        at: '2026-11-25T10:00:00.000Z',
        note: null,
      },
    ]);
  });

  it('says in brief what the rest shows, in plain words', () => {
    expect(buildPreReleaseDigest(digestFacts()).inBrief).toEqual([
      "Darren O'Neill made 7 communications in the period; 3 were listened to and logged.",
      'Listeners heard 2 people; most often Kelly Marsh (ex-partner, 2 calls heard).',
      '1 threat was recorded; the words used are below.',
      '2 escalations in the period, 1 still open.',
    ]);
    const quiet = buildPreReleaseDigest(
      digestFacts({
        summary: buildMonitoringSummary({ ...summaryFacts(), logs: [], escalations: [] }),
        contactsHeard: [],
      }),
    );
    expect(quiet.inBrief.slice(1)).toEqual([
      'No threat was recorded.',
      'Nothing was escalated in the period.',
    ]);
  });

  it('hashes the canonical JSON: the same digest with its keys in another order has the same hash', () => {
    const d = buildPreReleaseDigest(digestFacts());
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(d).reverse())),
    ) as typeof d;
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(digestHash(reordered)).toBe(digestHash(d));
    expect(digestHash(d)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestHash({ ...d, generatedBy: 'someone else' })).not.toBe(digestHash(d));
  });

  it('lays out as the summary model: the draft, and as sent with the POM’s analysis', () => {
    const d = buildPreReleaseDigest(digestFacts());
    const draft = digestDocument(d);
    expect(draft.title).toBe("Pre-release monitoring digest — Darren O'Neill (A1234BC)");
    expect(draft.sections.map((s) => s.heading)).toEqual([
      'In brief',
      'Prisoner and community offender manager',
      'Who they called',
      'What was heard',
      'Threats (verbatim)',
      'Escalations and outcomes',
      'Numbers identified',
      'Logs of concern',
    ]);
    const sent = digestDocument(d, {
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      analysis: 'He minimises the threats.\n\nPlan victim safety before release.',
      sentAt: '2026-12-03T10:00:00.000Z',
      sentBy: 'pom1',
    });
    const analysis = sent.sections.find((s) => s.id === 'analysis')!;
    expect(analysis.paragraphs).toEqual([
      'He minimises the threats.',
      'Plan victim safety before release.',
    ]);
    const html = renderDocumentHtml(sent);
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('Sam Okafor &lt;sam.okafor@justice.gov.uk&gt;');
    expect(html).toContain(`“${QUOTE}”`);
    expect(html).toContain('Leeds North PDU');
  });

  it('words every code as the workbench does, and names the sender beside their username', () => {
    const d = buildPreReleaseDigest(digestFacts());
    const sent = digestDocument(d, {
      to: 'Sam Okafor',
      analysis: 'He minimises the threats.',
      sentAt: '2026-12-03T10:00:00.000Z',
      sentBy: 'pom1',
      sentByName: 'Priya Shah',
    });
    const cells = (id: string) =>
      sent.sections.find((s) => s.id === id)!.table!.rows.map((row) => row.join(' | '));
    expect(cells('contacts-heard')).toEqual(
      expect.arrayContaining([expect.stringContaining('| Ex-partner |')]),
    );
    expect(cells('themes')).toEqual([
      'Controlling or coercive behaviour | 2',
      'No concerns | 1',
      'Threats to harm | 1',
    ]);
    expect(cells('threats')).toEqual([expect.stringContaining('| Physical harm | On release |')]);
    expect(cells('escalations')).toEqual([
      expect.stringMatching(/^[^|]+\| POM \| .* \| Closed \| .* \| MAPPA referral made: Referred/),
      expect.stringMatching(/^[^|]+\| COM \| .* \| Open \|/),
    ]);
    const text = JSON.stringify(sent);
    // No code as humanise wrote it: "Ex partner", "Mappa referral made", "Physical".
    expect(text).not.toMatch(/Ex partner|Mappa|\| Physical \||[A-Z]+_[A-Z_]+/);
    expect(sent.lines[1]).toBe('Sent 3 Dec 2026, 10:00 to Sam Okafor by Priya Shah (pom1)');
    expect(sent.sections.find((s) => s.id === 'analysis')!.intro).toContain(
      'by Priya Shah (pom1).',
    );
  });

  it('names the POM, the author and who identified a number beside their usernames', () => {
    const d = buildPreReleaseDigest(digestFacts());
    const names = new Map(documentStaff(d).map((u) => [u, `Name of ${u}`]));
    const doc = digestDocument(d, undefined, names);
    const text = JSON.stringify(doc);
    expect(documentStaff(d)).toEqual(['pom1', 'listener1']);
    for (const u of documentStaff(d)) expect(text).toContain(`Name of ${u} (${u})`);
    expect(doc.lines[1]).toContain('by Name of pom1 (pom1); not yet sent');
  });

  it('renders an accessible tagged PDF: language, title, structure, real text', async () => {
    const d = buildPreReleaseDigest(digestFacts());
    const pdf = await bytes(
      renderDocumentPdf(digestDocument(d), { reference: 'A1234BC', keywords: 'COM' }),
    );
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/\/MarkInfo\s+\d+ 0 R|\/Marked true/);
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).toContain('/DisplayDocTitle true');
    for (const type of ['Document', 'H1', 'H2', 'P', 'Sect', 'Table', 'TR', 'TH', 'TD'])
      expect(raw).toContain(`/S /${type}`);
    expect(raw).toContain('/Artifact');
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)]
      .map((m) => Buffer.from(m[1], 'hex').toString('latin1'))
      .join('')
      .replace(/\s+/g, '');
    expect(text).toContain(QUOTE.replace(/\s+/g, ''));
    expect(text).toContain('SamOkafor');
  });
});
