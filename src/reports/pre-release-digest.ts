/**
 * The pre-release monitoring digest for the community offender manager (COM): what monitoring heard
 * in the last six months, in plain words, for the probation officer who takes the case over at the
 * handover date. Built from the MAPPA monitoring summary of the same period (one set of facts, one
 * document model) plus what only the COM needs: who the prisoner spoke to and how often, the
 * numbers listeners identified, and the COM and handover date themselves. Pure: nothing here reads
 * the clock or the database.
 */
import { createHash } from 'node:crypto';
import { Confidence, Relationship, Theme } from '../common/vocabulary';
import { words } from '../common/vocabulary-labels';
import type { LogRow } from '../logs/logs.service';
import type { ComRow } from '../prisoners/prisoners.service';
import { MonitoringSummary } from './monitoring-summary';
import { Period } from './reports.repository';

/** The digest covers this many calendar months up to the moment it is made. */
export const DIGEST_MONTHS = 6;
/** The longest analysis a POM may add (a page or two of prose). */
export const ANALYSIS_MAX_LENGTH = 10_000;
export const DISCLOSURE_KINDS = ['PRE_RELEASE_DIGEST'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];

/** The six calendar months up to `now` (the same day and time six months earlier, UTC). */
export function digestPeriod(now: Date): Period {
  const from = new Date(now);
  from.setUTCMonth(from.getUTCMonth() - DIGEST_MONTHS);
  return { from, to: new Date(now) };
}

/** Calls of the period to one contact, or to one number on no contact list (privileged never). */
export interface ContactHeardRow {
  contactId: string | null;
  name: string | null;
  relationship: Relationship | null;
  /** Only for a number not on the contact list. */
  dialledNumber: string | null;
  calls: number;
  heard: number;
}

/** A contact a listener added from a call (a number identified as someone). */
export interface IdentifiedContactRow {
  name: string;
  relationship: Relationship;
  phoneNumbers: string[];
  identifiedBy: string | null;
  identifiedAt: Date;
}

/** A task to identify a number a listener could not place. */
export interface IdentificationTaskRow {
  dialledNumber: string;
  status: 'OPEN' | 'RESOLVED';
  raisedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface DigestFacts {
  summary: MonitoringSummary;
  com: ComRow | null;
  handoverDate: string | null;
  contactsHeard: ContactHeardRow[];
  /** The summary's logs, for how listeners described people on no contact list. */
  logs: LogRow[];
  identifiedContacts: IdentifiedContactRow[];
  identificationTasks: IdentificationTaskRow[];
}

export interface PreReleaseDigest {
  kind: 'PRE_RELEASE_DIGEST';
  prisoner: MonitoringSummary['prisoner'] & {
    com: ComRow | null;
    handoverDate: string | null;
  };
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  /** A few sentences saying what the rest shows. */
  inBrief: string[];
  communications: MonitoringSummary['communications'];
  contactsHeard: {
    name: string | null;
    relationship: Relationship;
    /** How sure the listeners were, for a number on no contact list (null for a known contact). */
    confidence: Confidence | null;
    dialledNumber: string | null;
    calls: number;
    heard: number;
  }[];
  /** Each theme heard and in how many logs, most heard first. */
  themes: { code: Theme; logs: number }[];
  threats: MonitoringSummary['threats'];
  logsOfConcern: MonitoringSummary['logsOfConcern'];
  escalations: MonitoringSummary['escalations'];
  identifications: {
    number: string;
    status: 'IDENTIFIED' | 'RESOLVED' | 'NOT_YET_IDENTIFIED';
    identifiedAs: string | null;
    relationship: Relationship | null;
    by: string | null;
    at: string;
    note: string | null;
  }[];
}

/** The newest log of a call to this number (its relationship and confidence), if any. */
function latestDescription(logs: LogRow[], number: string): LogRow | undefined {
  let latest: LogRow | undefined;
  for (const l of logs)
    if (l.dialledNumber === number && (!latest || l.callStartedAt > latest.callStartedAt))
      latest = l;
  return latest;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function inBrief(d: Omit<PreReleaseDigest, 'inBrief'>, name: string): string[] {
  const c = d.communications;
  const lines = [
    `${name} made ${plural(c.made, 'communication')} in the period; ${c.listenedTo} ${c.listenedTo === 1 ? 'was' : 'were'} listened to and logged.`,
  ];
  const heard = d.contactsHeard.filter((h) => h.heard > 0);
  if (heard.length) {
    const most = heard[0];
    lines.push(
      `Listeners heard ${plural(heard.length, 'person', 'people')}; most often ${most.name ?? most.dialledNumber ?? 'an unknown person'} (${words('relationship', most.relationship).toLowerCase()}, ${plural(most.heard, 'call')} heard).`,
    );
  }
  lines.push(
    d.threats.length
      ? `${plural(d.threats.length, 'threat')} ${d.threats.length === 1 ? 'was' : 'were'} recorded; the words used are below.`
      : 'No threat was recorded.',
  );
  const open = d.escalations.filter((e) => e.status !== 'CLOSED').length;
  lines.push(
    d.escalations.length
      ? `${plural(d.escalations.length, 'escalation')} in the period, ${open} still open.`
      : 'Nothing was escalated in the period.',
  );
  return lines;
}

export function buildPreReleaseDigest(f: DigestFacts): PreReleaseDigest {
  const s = f.summary;
  const themeCounts = new Map<Theme, number>();
  for (const month of s.themesOverTime)
    for (const [code, n] of Object.entries(month.themes) as [Theme, number][])
      themeCounts.set(code, (themeCounts.get(code) ?? 0) + n);

  const identifications: PreReleaseDigest['identifications'] = [
    ...f.identifiedContacts.map((c) => ({
      number: c.phoneNumbers.join(', '),
      status: 'IDENTIFIED' as const,
      identifiedAs: c.name,
      relationship: c.relationship,
      by: c.identifiedBy,
      at: c.identifiedAt.toISOString(),
      note: null,
    })),
    ...f.identificationTasks.map((t) => ({
      number: t.dialledNumber,
      status: t.status === 'RESOLVED' ? ('RESOLVED' as const) : ('NOT_YET_IDENTIFIED' as const),
      identifiedAs: null,
      relationship: null,
      by: t.resolvedBy,
      at: (t.resolvedAt ?? t.raisedAt).toISOString(),
      note: t.resolutionNote,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.number.localeCompare(b.number));

  const digest: Omit<PreReleaseDigest, 'inBrief'> = {
    kind: 'PRE_RELEASE_DIGEST',
    prisoner: { ...s.prisoner, com: f.com, handoverDate: f.handoverDate },
    period: s.period,
    generatedAt: s.generatedAt,
    generatedBy: s.generatedBy,
    communications: s.communications,
    contactsHeard: f.contactsHeard.map((h) => {
      const described = h.contactId ? undefined : latestDescription(f.logs, h.dialledNumber ?? '');
      return {
        name: h.name,
        relationship: h.relationship ?? described?.relationship ?? 'UNKNOWN',
        confidence: h.contactId ? null : (described?.confidence ?? null),
        dialledNumber: h.dialledNumber,
        calls: h.calls,
        heard: h.heard,
      };
    }),
    themes: [...themeCounts]
      .map(([code, logs]) => ({ code, logs }))
      .sort((a, b) => b.logs - a.logs || a.code.localeCompare(b.code)),
    threats: s.threats,
    logsOfConcern: s.logsOfConcern,
    escalations: s.escalations,
    identifications,
  };
  return { ...digest, inBrief: inBrief(digest, s.prisoner.name) };
}

/** JSON with every object's keys in order: the same digest always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The SHA-256 (hex) of the digest's canonical JSON: the register keeps it with the snapshot, so
 * anyone can check the snapshot is what was recorded (PostgreSQL's jsonb reorders keys; the
 * canonical form does not depend on the order).
 */
export function digestHash(digest: PreReleaseDigest): string {
  return createHash('sha256').update(canonicalJson(digest)).digest('hex');
}
