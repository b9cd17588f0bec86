import { LogRow } from '../logs/logs.repository';
import { PrisonerRow } from '../prisoners/prisoners.repository';
import {
  buildMonitoringSummary,
  monthsOf,
  namedContactIds,
  resolvePeriod,
  SummaryFacts,
} from './monitoring-summary';
import { escapeHtml, renderSummaryHtml } from './summary-html';
import { renderSummaryPdf, toPdfText } from './summary-pdf';

const DAY = 86_400_000;
const NOW = new Date('2026-11-27T12:00:00Z');

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
  com: null,
  handoverDate: null,
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
    callStartedAt: NOW,
    dialledNumber: '+447911000000',
    ...over,
  };
}

function facts(over: Partial<SummaryFacts> = {}): SummaryFacts {
  return {
    prisoner,
    establishmentName: 'HMP New Hall',
    period: { from: new Date('2026-09-01T00:00:00Z'), to: NOW },
    generatedAt: NOW,
    generatedBy: 'pom1',
    authorisations: [],
    reviews: [],
    communications: {
      made: 0,
      listenedTo: 0,
      pending: 0,
      notMonitored: 0,
      privilegedExcluded: 0,
      purged: 0,
      awaitingTriage: 0,
      byChannel: { PHONE: 0, VIDEO: 0, MAIL: 0 },
    },
    contacts: [],
    logs: [],
    escalations: [],
    ...over,
  };
}

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('monitoring summary', () => {
  describe('resolvePeriod', () => {
    it('defaults to the 90 days up to now', () => {
      expect(resolvePeriod(NOW)).toEqual({
        ok: true,
        period: { from: new Date(NOW.getTime() - 90 * DAY), to: NOW },
      });
    });

    it('counts 90 days back from a given end', () => {
      const to = new Date('2026-06-01T00:00:00Z');
      expect(resolvePeriod(NOW, undefined, to)).toEqual({
        ok: true,
        period: { from: new Date(to.getTime() - 90 * DAY), to },
      });
    });

    it('refuses an empty or backwards period, and one over 366 days, naming from', () => {
      expect(resolvePeriod(NOW, NOW, NOW)).toMatchObject({ ok: false, field: 'from' });
      expect(resolvePeriod(NOW, new Date(NOW.getTime() + DAY))).toMatchObject({
        ok: false,
        field: 'from',
      });
      expect(resolvePeriod(NOW, new Date(NOW.getTime() - 366 * DAY - 1))).toMatchObject({
        ok: false,
        field: 'from',
        message: 'the period may be at most 366 days',
      });
      expect(resolvePeriod(NOW, new Date(NOW.getTime() - 366 * DAY)).ok).toBe(true);
    });
  });

  describe('monthsOf', () => {
    it('lists every London month the period touches, across a year end', () => {
      expect(
        monthsOf({
          from: new Date('2025-11-15T00:00:00Z'),
          to: new Date('2026-02-01T00:00:00Z'),
        }),
      ).toEqual(['2025-11', '2025-12', '2026-01']);
    });

    it('uses London months: 23:30 UTC on 31 March in summer time is April', () => {
      expect(
        monthsOf({
          from: new Date('2026-03-31T23:30:00Z'),
          to: new Date('2026-04-02T00:00:00Z'),
        }),
      ).toEqual(['2026-04']);
    });
  });

  describe('buildMonitoringSummary', () => {
    const victim = '11111111-1111-4111-8111-111111111111';
    const friend = '22222222-2222-4222-8222-222222222222';
    const logs = [
      log({
        callStartedAt: new Date('2026-10-20T10:00:00Z'),
        contactId: friend,
        concernLevel: 'MEDIUM',
        themeCodes: ['THREATS_TO_HARM', 'WITNESS_INTIMIDATION'],
        threats: [{ target: 'officer', type: 'PHYSICAL', imminence: 'UNSPECIFIED' }],
      }),
      log({
        callStartedAt: new Date('2026-09-10T10:00:00Z'),
        contactId: victim,
        concernLevel: 'HIGH',
        themeCodes: ['THREATS_TO_HARM', 'VICTIM_CONTACT'],
        threats: [
          { target: 'ex-partner', type: 'KILL', imminence: 'ON_RELEASE', quote: 'first' },
          { target: 'her mother', type: 'PHYSICAL', imminence: 'ON_RELEASE', quote: 'second' },
        ],
      }),
      log({ callStartedAt: new Date('2026-10-25T10:00:00Z'), contactId: victim }),
    ];

    it('names the contacts of logs of medium concern or above, once each', () => {
      expect(namedContactIds(logs).sort()).toEqual([victim, friend].sort());
    });

    it('counts themes by London month, lists threats oldest first, and logs of concern', () => {
      const summary = buildMonitoringSummary(
        facts({
          logs,
          contacts: [
            {
              id: victim,
              name: 'Kelly',
              relationship: 'EX_PARTNER',
              isVictim: true,
              isChild: false,
              restriction: 'NO_CONTACT',
              phoneNumbers: [],
              callsInPeriod: 2,
            },
          ],
        }),
      );
      expect(summary.themesOverTime).toEqual([
        { month: '2026-09', logs: 1, themes: { THREATS_TO_HARM: 1, VICTIM_CONTACT: 1 } },
        {
          month: '2026-10',
          logs: 2,
          themes: { THREATS_TO_HARM: 1, WITNESS_INTIMIDATION: 1, NO_CONCERNS: 1 },
        },
        { month: '2026-11', logs: 0, themes: {} },
      ]);
      expect(summary.threats.map((t) => [t.date, t.target, t.quote, t.logId])).toEqual([
        ['2026-09-10T10:00:00.000Z', 'ex-partner', 'first', logs[1].id],
        ['2026-09-10T10:00:00.000Z', 'her mother', 'second', logs[1].id],
        ['2026-10-20T10:00:00.000Z', 'officer', null, logs[0].id],
      ]);
      expect(summary.logsOfConcern.map((l) => [l.logId, l.contactName])).toEqual([
        [logs[1].id, 'Kelly'],
        [logs[0].id, null],
      ]);
      // The highest concern of any log naming the contact, not the latest.
      expect(summary.contactsOfConcern[0].highestConcern).toBe('HIGH');
      expect(summary.prisoner.name).toBe("Darren O'Neill");
    });
  });

  describe('rendering', () => {
    it('escapes text for HTML content and attributes', () => {
      expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
        '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
      );
    });

    it('keeps what the standard PDF fonts can show and marks what they cannot', () => {
      expect(toPdfText('“Café” – £5 €\tok')).toEqual({ text: '“Café” – £5 € ok', lossy: false });
      expect(toPdfText('Cafe\u0301')).toEqual({ text: 'Café', lossy: false });
      expect(toPdfText('Zażółć 😀')).toEqual({ text: 'Za?ó?? ?', lossy: true });
    });

    it('renders a long history as a multi-page A4 PDF, and says when characters were lost', async () => {
      const many = Array.from({ length: 120 }, (_, i) =>
        log({
          callStartedAt: new Date(Date.parse('2026-09-02T10:00:00Z') + i * 12 * 3_600_000),
          concernLevel: 'MEDIUM',
          themeCodes: ['THREATS_TO_HARM'],
          threats: [
            {
              target: 'partner',
              type: 'PHYSICAL',
              imminence: 'IMMEDIATE',
              quote: i === 0 ? 'Zapłacisz za to' : `threat number ${i}`,
            },
          ],
        }),
      );
      const summary = buildMonitoringSummary(facts({ logs: many }));
      const { filename, document } = renderSummaryPdf(summary);
      expect(filename).toBe('monitoring-summary-A1234BC-2026-09-01-2026-11-27.pdf');
      const pdf = await bytes(document);
      const raw = pdf.toString('latin1');
      expect(raw.startsWith('%PDF-')).toBe(true);
      expect(raw.match(/\/Type \/Page\b/g)!.length).toBeGreaterThan(3);
      expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
      const text = [...raw.matchAll(/<([0-9a-f]+)>/g)]
        .map((m) => Buffer.from(m[1], 'hex').toString('latin1'))
        .join('')
        .replace(/\s+/g, '');
      expect(text).toContain('threatnumber119');
      expect(text).toContain('cannotbeshowninthisPDF');
    });

    it('words every code as the workbench does: monitoring, contacts, escalations', () => {
      const html = renderSummaryHtml(
        buildMonitoringSummary(
          facts({
            authorisations: [
              {
                id: 'a1',
                type: 'OFFENCE_RELATED',
                grounds: ['PUBLIC_SAFETY'],
                channels: ['PHONE', 'VIDEO'],
                status: 'ACTIVE',
                startsAt: new Date('2026-09-02T00:00:00Z'),
                endsAt: null,
                endedAt: null,
                endReason: null,
                approvedBy: 'head1',
                reviewDueAt: new Date('2026-12-02T00:00:00Z'),
              },
            ],
            escalations: [
              {
                id: 'e1',
                target: 'SAFER_CUSTODY',
                status: 'ACKNOWLEDGED',
                reason: 'Self-harm talked of',
                concernLevel: 'HIGH',
                createdAt: new Date('2026-10-01T10:00:00Z'),
                closedAt: null,
                outcome: null,
                outcomeNote: null,
              },
              {
                id: 'e2',
                target: 'MAPPA',
                status: 'CLOSED',
                reason: 'Threat to kill',
                concernLevel: 'IMMEDIATE',
                createdAt: new Date('2026-10-02T10:00:00Z'),
                closedAt: new Date('2026-10-03T10:00:00Z'),
                outcome: 'LEVEL_CONFIRMED',
                outcomeNote: null,
              },
            ],
          }),
        ),
      );
      for (const words of [
        'Offence-related',
        'The interests of public safety',
        'Telephone calls, Video calls',
        'Safer custody',
        'MAPPA level review',
        'MAPPA level confirmed',
      ])
        expect(html).toContain(`>${escapeHtml(words)}<`);
      expect(html).not.toMatch(/SAFER_CUSTODY|>Offence related<|>Mappa<|>Level confirmed</);
    });

    it('writes counts as people do: 1,234', () => {
      const base = facts().communications;
      const html = renderSummaryHtml(
        buildMonitoringSummary(
          facts({
            communications: { ...base, made: 1234, byChannel: { ...base.byChannel, PHONE: 1234 } },
          }),
        ),
      );
      expect(html).toContain('>1,234<');
      expect(html).not.toContain('>1234<');
    });

    it('names the staff it mentions beside their usernames, and keeps a username it has no name for', () => {
      const html = renderSummaryHtml(
        buildMonitoringSummary(
          facts({
            authorisations: [
              {
                id: 'a1',
                type: 'MANDATORY',
                grounds: ['CRIME'],
                channels: ['PHONE'],
                status: 'ACTIVE',
                startsAt: new Date('2026-09-02T00:00:00Z'),
                endsAt: null,
                endedAt: null,
                endReason: null,
                approvedBy: 'head1',
                reviewDueAt: new Date('2026-12-02T00:00:00Z'),
              },
            ],
            reviews: [
              {
                authorisationId: 'a1',
                decision: 'CONTINUE',
                rationale: 'Still needed',
                reviewedBy: 'security9',
                reviewedAt: new Date('2026-10-02T00:00:00Z'),
              },
            ],
          }),
        ),
        new Map([
          ['pom1', 'Priya Shah'],
          ['head1', 'Hana Okoro'],
        ]),
      );
      expect(html).toContain('by Priya Shah (pom1)</p>');
      expect(html).toContain('>Priya Shah (pom1)<');
      expect(html).toContain('>Hana Okoro (head1)<');
      expect(html).toContain('>security9<');
    });

    it('renders the HTML with every section, even when empty', () => {
      const html = renderSummaryHtml(buildMonitoringSummary(facts()));
      for (const heading of [
        'Prisoner',
        'Monitoring authorisations',
        'Reviews of monitoring',
        'Communications in the period',
        'Contacts of concern',
        'Themes over time',
        'Threats (verbatim)',
        'Logs of concern',
        'Escalations and outcomes',
      ])
        expect(html).toContain(`>${escapeHtml(heading)}</h2>`);
      expect(html).toContain('No threat was recorded in the period.');
    });
  });
});
