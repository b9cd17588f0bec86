/* Why this file is long: the summary's sections are one layout read top to bottom (the order the
   document prints in); split by section, a reader would hop between files to follow one page. */
/**
 * The monitoring summary laid out for people: the title, the marking and the sections, each a table
 * of plain text (or a few paragraphs). The HTML page and the PDF both render this one layout, so they
 * always carry the same sections in the same order; the pre-release digest for the COM
 * (digest-document.ts) is another document of this model, drawn by the same two renderers. Pure:
 * text in, text out; escaping is the renderer's job.
 */
import { VOCABULARY_LABELS, words } from '../common/vocabulary-labels';
import { MonitoringSummary } from './monitoring-summary';

export const MARKING = 'OFFICIAL-SENSITIVE';

export interface SummaryTable {
  caption: string;
  /** Column headings; with `rowHeaders` the first cell of each row heads that row. */
  columns: string[];
  rows: string[][];
  rowHeaders?: boolean;
  /** Relative column widths (PDF); the HTML page lets the browser decide. */
  widths?: number[];
}

export interface SummarySection {
  id: string;
  heading: string;
  /** Said before the table (what the section is, and any caveat). */
  intro?: string;
  /** Paragraphs of prose, after the intro (the digest's "In brief", the POM's analysis). */
  paragraphs?: string[];
  /** None: the section is its intro and paragraphs alone. */
  table?: SummaryTable;
  /** Said instead of an empty table. */
  empty: string;
}

export interface SummaryDocument {
  title: string;
  marking: string;
  subtitle: string;
  lines: string[];
  sections: SummarySection[];
  notes: string[];
}

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "12 Mar 2026" (London). */
export function day(iso: string | null): string {
  return iso ? LONDON_DAY.format(new Date(iso)) : '';
}

/** "12 Mar 2026, 14:05" (London). */
export function dateTime(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  return `${LONDON_DAY.format(at)}, ${LONDON_TIME.format(at)}`;
}

/** A date-only value (YYYY-MM-DD) as "15 Jan 2027". */
export function calendarDay(date: string | null): string {
  return date ? LONDON_DAY.format(new Date(`${date}T12:00:00Z`)) : '';
}

const ACRONYMS = /\b(mappa|irmm|pom|rosh)\b/g;

/** "THREATS_TO_HARM" → "Threats to harm"; "MAPPA_REFERRAL_MADE" → "MAPPA referral made". */
export function humanise(code: string): string {
  const words = code
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(ACRONYMS, (w) => (w === 'rosh' ? 'RoSH' : w.toUpperCase()));
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An escalation's outcome in words: a MAPPA level review's or any other target's. */
function outcomeWords(code: string): string {
  if (code === 'OTHER') return 'Other';
  return Object.hasOwn(VOCABULARY_LABELS.escalationOutcome, code)
    ? words('escalationOutcome', code)
    : words('mappaOutcome', code);
}

const MONTH = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  month: 'long',
  year: 'numeric',
});

/** "2026-03" → "March 2026". */
function monthName(month: string): string {
  return MONTH.format(new Date(`${month}-15T12:00:00Z`));
}

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** A count as people write it: `1,234`. */
export const count = (n: number): string => COUNT.format(n);

export const orNone = (text: string, none = 'none') => text || none;

/** Display names of staff by username, for the people a document mentions (see `documentStaff`). */
export type StaffNames = ReadonlyMap<string, string>;

/** `Jane Smith (jsmith)`: the name for the reader, the username the audit trail is searched by. */
export function staffInWords(names: StaffNames, username: string): string {
  const name = names.get(username);
  return name ? `${name} (${username})` : username;
}

/** The usernames a summary (or the digest built from it) names: to look their names up. */
export function documentStaff(s: {
  generatedBy: string;
  prisoner: { pomUsername: string | null };
  monitoring?: MonitoringSummary['monitoring'];
  logsOfConcern: MonitoringSummary['logsOfConcern'];
  identifications?: { by: string | null }[];
}): string[] {
  const all = [
    s.generatedBy,
    s.prisoner.pomUsername,
    ...(s.monitoring ?? []).flatMap((a) => [a.approvedBy, ...a.reviews.map((r) => r.reviewedBy)]),
    ...s.logsOfConcern.map((l) => l.loggedBy),
    ...(s.identifications ?? []).map((i) => i.by),
  ];
  return [...new Set(all.filter((u): u is string => !!u))];
}

export function documentTitle(s: MonitoringSummary): string {
  return `Communications monitoring summary — ${s.prisoner.name} (${s.prisoner.prisonNumber})`;
}

/** Shared with the pre-release digest (digest-document.ts). */
export function threatsSection(threats: MonitoringSummary['threats']): SummarySection {
  return {
    id: 'threats',
    heading: 'Threats (verbatim)',
    intro: 'Threats recorded by listeners, in the words used, oldest first.',
    table: {
      caption: 'Threats recorded in the period, oldest first',
      columns: ['Date of call', 'Against', 'Type', 'When', 'Words used'],
      widths: [1.2, 1.1, 0.8, 1, 3],
      rows: threats.map((t) => [
        dateTime(t.date),
        t.target,
        words('threatType', t.type),
        words('imminence', t.imminence),
        t.quote === null ? '(no words recorded)' : `“${t.quote}”`,
      ]),
    },
    empty: 'No threat was recorded in the period.',
  };
}

/** Shared with the pre-release digest (digest-document.ts). */
export function logsOfConcernSection(
  logs: MonitoringSummary['logsOfConcern'],
  names: StaffNames = new Map(),
): SummarySection {
  return {
    id: 'logs',
    heading: 'Logs of concern',
    intro: 'Logs of medium concern or above, oldest first.',
    table: {
      caption: 'Monitoring logs of medium concern or above',
      columns: ['Date of call', 'Contact', 'Concern', 'Themes', 'Summary', 'Logged by'],
      widths: [1.1, 1.2, 0.8, 1.2, 3, 1],
      rows: logs.map((l) => [
        dateTime(l.callStartedAt),
        `${l.contactName ? `${l.contactName}, ` : ''}${words('relationship', l.relationship).toLowerCase()} (${words('confidence', l.confidence).toLowerCase()})`,
        words('concernLevel', l.concernLevel),
        l.themes.map((t) => words('theme', t)).join(', '),
        l.summary,
        staffInWords(names, l.loggedBy),
      ]),
    },
    empty: 'No log of medium concern or above in the period.',
  };
}

/** Shared with the pre-release digest (digest-document.ts). */
export function escalationsSection(escalations: MonitoringSummary['escalations']): SummarySection {
  return {
    id: 'escalations',
    heading: 'Escalations and outcomes',
    table: {
      caption: 'Escalations open at any time in the period, and what was done',
      columns: ['Raised', 'To', 'Concern', 'Reason', 'Status', 'Closed', 'Outcome'],
      widths: [1.1, 0.7, 0.8, 2.2, 0.9, 1.1, 1.8],
      rows: escalations.map((e) => [
        dateTime(e.createdAt),
        words('escalationTarget', e.target),
        words('concernLevel', e.concernLevel),
        e.reason,
        words('escalationStatus', e.status),
        dateTime(e.closedAt),
        e.outcome
          ? `${outcomeWords(e.outcome)}${e.outcomeNote ? `: ${e.outcomeNote}` : ''}`
          : 'not yet closed',
      ]),
    },
    empty: 'No escalation in the period.',
  };
}

/** "Name (code)", or the code alone when the establishment has no name. */
export function prisonName(p: { establishmentCode: string; establishmentName: string | null }) {
  return p.establishmentName
    ? `${p.establishmentName} (${p.establishmentCode})`
    : p.establishmentCode;
}

/** The rows about the prisoner that the summary and the pre-release digest both open with. */
export function prisonerRows(
  p: Pick<
    MonitoringSummary['prisoner'],
    | 'name'
    | 'prisonNumber'
    | 'establishmentCode'
    | 'establishmentName'
    | 'mappaCategory'
    | 'mappaLevel'
    | 'roshLevel'
    | 'earliestReleaseDate'
    | 'pomUsername'
  >,
  names: StaffNames = new Map(),
): string[][] {
  return [
    ['Name', p.name],
    ['Prison number', p.prisonNumber],
    ['Prison', prisonName(p)],
    ['MAPPA category', p.mappaCategory === null ? 'not set' : String(p.mappaCategory)],
    ['MAPPA level', p.mappaLevel === null ? 'not set' : String(p.mappaLevel)],
    ['Risk of serious harm (RoSH)', p.roshLevel ? words('rosh', p.roshLevel) : 'not assessed'],
    ['Earliest release date', calendarDay(p.earliestReleaseDate) || 'not known'],
    [
      'Prison offender manager',
      p.pomUsername ? staffInWords(names, p.pomUsername) : 'none assigned',
    ],
  ];
}

export function summaryDocument(
  s: MonitoringSummary,
  names: StaffNames = new Map(),
): SummaryDocument {
  const p = s.prisoner;
  const c = s.communications;
  const prison = prisonName(p);
  const reviews = s.monitoring.flatMap((a) =>
    a.reviews.map((r) => ({ authorisation: a, review: r })),
  );

  const sections: SummarySection[] = [
    {
      id: 'prisoner',
      heading: 'Prisoner',
      table: {
        caption: 'The prisoner and their risk profile as held by the prison',
        columns: ['Detail', 'Value'],
        rowHeaders: true,
        widths: [1, 2],
        rows: [...prisonerRows(p, names), ['Alert codes', orNone(p.alertCodes.join(', '))]],
      },
      empty: '',
    },
    {
      id: 'monitoring',
      heading: 'Monitoring authorisations',
      intro:
        'Listening needs an approved authorisation (Prison Rules 35A–35D). These were in force, or requested, during the period.',
      table: {
        caption: 'Monitoring authorisations overlapping the period',
        columns: [
          'Type',
          'Lawful grounds',
          'Channels',
          'Status',
          'In force',
          'Approved by',
          'Review due',
        ],
        widths: [1.3, 1.4, 0.9, 0.9, 1.8, 1.1, 1],
        rows: s.monitoring.map((a) => {
          const until = a.endedAt ?? a.endsAt;
          const ended = a.endedAt
            ? `${day(a.endedAt)}${a.endReason ? ` (${a.endReason})` : ''}`
            : a.endsAt
              ? `${day(until)} (end date)`
              : 'no end date';
          return [
            words('authorisationType', a.type),
            a.grounds.map((g) => words('ground', g)).join('; '),
            a.channels.map((c) => words('channel', c)).join(', '),
            words('authorisationStatus', a.status),
            `${day(a.startsAt)} to ${ended}`,
            a.approvedBy ? staffInWords(names, a.approvedBy) : 'not approved',
            day(a.reviewDueAt),
          ];
        }),
      },
      empty: 'No monitoring authorisation was in force or requested during the period.',
    },
    {
      id: 'reviews',
      heading: 'Reviews of monitoring',
      table: {
        caption: 'Reviews of these authorisations, oldest first',
        columns: ['Reviewed', 'Authorisation', 'Decision', 'Reviewed by', 'Rationale'],
        widths: [1.2, 1.5, 0.9, 1.1, 3],
        rows: reviews.map(({ authorisation: a, review: r }) => [
          dateTime(r.reviewedAt),
          `${words('authorisationType', a.type)} from ${day(a.startsAt)}`,
          humanise(r.decision),
          staffInWords(names, r.reviewedBy),
          r.rationale,
        ]),
      },
      empty: 'These authorisations have not been reviewed.',
    },
    {
      id: 'communications',
      heading: 'Communications in the period',
      intro:
        'Every call, video call and letter the prisoner made in the period, by what became of it. Privileged communications (legal advisers, Samaritans, MPs and the like) are never listened to.',
      table: {
        caption: 'Communications made in the period, by outcome and channel',
        columns: ['Communications', 'Number'],
        rowHeaders: true,
        widths: [3, 1],
        rows: [
          ['Made', count(c.made)],
          ['Listened to and logged', count(c.listenedTo)],
          ['Waiting to be heard', count(c.pending)],
          ['Not monitored (no authorisation covered them)', count(c.notMonitored)],
          ['Privileged (never monitored)', count(c.privilegedExcluded)],
          ['Deleted at the end of retention without being heard', count(c.purged)],
          ['Not yet sorted (just received)', count(c.awaitingTriage)],
          ['By phone', count(c.byChannel.PHONE)],
          ['By video call', count(c.byChannel.VIDEO)],
          ['By mail', count(c.byChannel.MAIL)],
        ],
      },
      empty: '',
    },
    {
      id: 'contacts',
      heading: 'Contacts of concern',
      intro:
        'Victims, children, contacts under a restriction, and anyone named in a log of medium concern or above.',
      table: {
        caption: 'Contacts of concern and their relationship to the prisoner',
        columns: ['Name', 'Relationship', 'Why of concern', 'Numbers', 'Calls in period'],
        widths: [1.4, 1.1, 2, 1.5, 0.8],
        rows: s.contactsOfConcern.map((ct) => [
          ct.name,
          words('relationship', ct.relationship),
          [
            ct.isVictim ? 'victim' : '',
            ct.isChild ? 'child' : '',
            ct.restriction !== 'NONE' ? words('restriction', ct.restriction).toLowerCase() : '',
            ct.highestConcern ? `named in a ${ct.highestConcern.toLowerCase()} concern log` : '',
          ]
            .filter(Boolean)
            .join('; '),
          ct.phoneNumbers.join(', '),
          count(ct.callsInPeriod),
        ]),
      },
      empty: 'No contact of concern.',
    },
    {
      id: 'themes',
      heading: 'Themes over time',
      intro: 'What listeners heard, by the month the calls were made (latest version of each log).',
      table: {
        caption: 'Themes heard in logged calls, by month',
        columns: ['Month', 'Logs', 'Themes heard (number of logs)'],
        rowHeaders: true,
        widths: [1.2, 0.6, 4],
        rows: s.themesOverTime.map((m) => [
          monthName(m.month),
          count(m.logs),
          orNone(
            Object.entries(m.themes)
              .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || a.localeCompare(b))
              .map(([code, n]) => `${words('theme', code)} (${n})`)
              .join(', '),
            m.logs ? 'none' : 'no calls logged',
          ),
        ]),
      },
      empty: '',
    },
    threatsSection(s.threats),
    logsOfConcernSection(s.logsOfConcern, names),
    escalationsSection(s.escalations),
  ];

  return {
    title: documentTitle(s),
    marking: MARKING,
    subtitle: `The prison's communications contribution to the MAPPA F report, from ${prison}`,
    lines: [
      `Period: ${dateTime(s.period.from)} to ${dateTime(s.period.to)}`,
      `Produced ${dateTime(s.generatedAt)} by ${staffInWords(names, s.generatedBy)}`,
    ],
    sections,
    notes: [
      'Times are UK time. Counts are of communications made in the period; logs are the latest version of each.',
      'Recordings are kept at most 90 days (Prison Rule 35D); monitoring logs are kept.',
    ],
  };
}
