/**
 * The pre-release digest laid out for people, in the monitoring summary's document model
 * (summary-document.ts), so the same HTML and PDF renderers draw it. Threats, logs of concern and
 * escalations use the summary's own sections; the rest is what the COM needs. With a disclosure
 * (what was sent, to whom, with the POM's analysis) it is the document as sent.
 */
import { words } from '../common/vocabulary-labels';
import { PreReleaseDigest } from './pre-release-digest';
import {
  calendarDay,
  count,
  dateTime,
  escalationsSection,
  logsOfConcernSection,
  MARKING,
  prisonerRows,
  prisonName,
  SummaryDocument,
  StaffNames,
  staffInWords,
  SummarySection,
  threatsSection,
} from './summary-document';

/** What the register holds beside the digest: who it went to, when, and the POM's analysis. */
export interface DigestSending {
  to: string;
  analysis: string;
  sentAt: string;
  sentBy: string;
  /** The sender's display name; a disclosure of someone no longer on the staff list has none. */
  sentByName?: string | null;
}

/** The sender by name, as the register recorded it (or as the page's names have it). */
function sender(s: DigestSending, names: StaffNames): string {
  return s.sentByName ? `${s.sentByName} (${s.sentBy})` : staffInWords(names, s.sentBy);
}

export function digestTitle(d: PreReleaseDigest): string {
  return `Pre-release monitoring digest — ${d.prisoner.name} (${d.prisoner.prisonNumber})`;
}

const IDENTIFICATION_WORDS: Record<PreReleaseDigest['identifications'][number]['status'], string> =
  {
    IDENTIFIED: 'Identified by a listener',
    RESOLVED: 'Checked by security',
    NOT_YET_IDENTIFIED: 'Not yet identified',
  };

/** `names`: the display names of the staff it mentions (`documentStaff(d)`), else usernames. */
export function digestDocument(
  d: PreReleaseDigest,
  sending?: DigestSending,
  names: StaffNames = new Map(),
): SummaryDocument {
  const p = d.prisoner;
  const com = p.com;

  const sections: SummarySection[] = [
    { id: 'in-brief', heading: 'In brief', paragraphs: d.inBrief, empty: '' },
    ...(sending
      ? [
          {
            id: 'analysis',
            heading: 'The POM’s analysis',
            intro: `Sent to ${sending.to} on ${dateTime(sending.sentAt)} by ${sender(sending, names)}.`,
            paragraphs: sending.analysis
              .split(/\n\s*\n/)
              .map((p) => p.trim())
              .filter(Boolean),
            empty: '',
          },
        ]
      : []),
    {
      id: 'prisoner',
      heading: 'Prisoner and community offender manager',
      table: {
        caption: 'The prisoner, their risk and who manages them after release',
        columns: ['Detail', 'Value'],
        rowHeaders: true,
        widths: [1, 2],
        rows: [
          ...prisonerRows(p, names),
          ['Community offender manager', com ? com.name : 'none recorded'],
          ...(com
            ? [
                ['COM email', com.email],
                ['COM telephone', com.phone ?? 'not recorded'],
                ['Probation delivery unit', com.probationDeliveryUnit ?? 'not recorded'],
              ]
            : []),
          ['Handover date', calendarDay(p.handoverDate) || 'not set'],
        ],
      },
      empty: '',
    },
    {
      id: 'contacts-heard',
      heading: 'Who they called',
      intro:
        'Everyone the prisoner called in the period, by the contact list or as listeners described them, with how many calls were made and how many were listened to. Privileged calls (legal advisers and the like) are never listened to and are not listed.',
      table: {
        caption: 'People called in the period, most heard first',
        columns: ['Who', 'Relationship', 'Calls', 'Listened to'],
        widths: [2, 1.6, 0.7, 0.9],
        rows: d.contactsHeard.map((h) => [
          h.name ?? `${h.dialledNumber ?? 'unknown number'} (not on the contact list)`,
          `${words('relationship', h.relationship)}${h.confidence ? ` (${words('confidence', h.confidence).toLowerCase()})` : ''}`,
          count(h.calls),
          count(h.heard),
        ]),
      },
      empty: 'No call was made in the period.',
    },
    {
      id: 'themes',
      heading: 'What was heard',
      intro: 'The themes listeners recorded, and in how many logs.',
      table: {
        caption: 'Themes heard in the period, most often first',
        columns: ['Theme', 'Logs'],
        rowHeaders: true,
        widths: [3, 1],
        rows: d.themes.map((t) => [words('theme', t.code), count(t.logs)]),
      },
      empty: 'No call was logged in the period.',
    },
    threatsSection(d.threats),
    escalationsSection(d.escalations),
    {
      id: 'identifications',
      heading: 'Numbers identified',
      intro:
        'Numbers on no contact list that listeners identified, and those they could not place, with what security found.',
      table: {
        caption: 'Identifications of unknown numbers in the period',
        columns: ['Number', 'Outcome', 'Identified as', 'By', 'When', 'Note'],
        widths: [1.3, 1.2, 1.5, 0.9, 1.1, 2],
        rows: d.identifications.map((i) => [
          i.number,
          IDENTIFICATION_WORDS[i.status],
          i.identifiedAs
            ? `${i.identifiedAs}${i.relationship ? ` (${words('relationship', i.relationship).toLowerCase()})` : ''}`
            : '',
          i.by ? staffInWords(names, i.by) : '',
          dateTime(i.at),
          i.note ?? '',
        ]),
      },
      empty: 'No unknown number was identified or queried in the period.',
    },
    logsOfConcernSection(d.logsOfConcern, names),
  ];

  return {
    title: digestTitle(d),
    marking: MARKING,
    subtitle: `For the community offender manager: what communications monitoring heard in the six months before handover, from ${prisonName(p)}`,
    lines: [
      `Period: ${dateTime(d.period.from)} to ${dateTime(d.period.to)}`,
      sending
        ? `Sent ${dateTime(sending.sentAt)} to ${sending.to} by ${sender(sending, names)}`
        : `Draft produced ${dateTime(d.generatedAt)} by ${staffInWords(names, d.generatedBy)}; not yet sent`,
    ],
    sections,
    notes: [
      'This digest contains intercepted material disclosed under the interception policy: keep it OFFICIAL-SENSITIVE, share it only with those managing the case, and do not disclose it to the person on probation.',
      'Times are UK time. Logs are the latest version of each; threats are in the words listeners recorded.',
    ],
  };
}
