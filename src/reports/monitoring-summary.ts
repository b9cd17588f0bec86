/**
 * The monitoring summary for MAPPA: the prison's communications contribution to a MAPPA F report.
 * Pure functions: the repository reads the facts for one prisoner and period (set-based, from one
 * snapshot) and this turns them into the document every format renders. Nothing here reads the
 * clock or the database.
 *
 * Months are London calendar months (a UK prison's calendar); every instant is an ISO string.
 */
import { DAY_MS } from '../common/clock';
import {
  Channel,
  ConcernLevel,
  concernRank,
  Confidence,
  Relationship,
  Restriction,
  RoshLevel,
  Theme,
} from '../common/vocabulary';
import { WorkingCalendar } from '../common/working-days';
import type { LogRow } from '../logs/logs.service';
import type { PrisonerRow } from '../prisoners/prisoners.service';
import {
  CommunicationCounts,
  ContactOfConcernRow,
  Period,
  SummaryAuthorisationRow,
  SummaryEscalationRow,
  SummaryReviewRow,
} from './reports.repository';

/** Without `from` and `to` the summary covers this many days up to now. */
export const DEFAULT_PERIOD_DAYS = 90;
/** The longest period one summary may cover. */
export const MAX_PERIOD_DAYS = 366;
/** Logs at or above this concern are listed, and name their contact as one of concern. */
export const CONCERN_THRESHOLD: ConcernLevel = 'MEDIUM';

export const SUMMARY_FORMATS = ['json', 'html', 'pdf'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

export interface MonitoringSummary {
  prisoner: {
    prisonNumber: string;
    name: string;
    establishmentCode: string;
    establishmentName: string | null;
    mappaCategory: number | null;
    mappaLevel: number | null;
    roshLevel: RoshLevel | null;
    earliestReleaseDate: string | null;
    pomUsername: string | null;
    alertCodes: string[];
  };
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  monitoring: {
    id: string;
    type: string;
    grounds: string[];
    channels: Channel[];
    status: string;
    startsAt: string;
    endsAt: string | null;
    endedAt: string | null;
    endReason: string | null;
    approvedBy: string | null;
    reviewDueAt: string;
    reviews: { decision: string; rationale: string; reviewedBy: string; reviewedAt: string }[];
  }[];
  communications: CommunicationCounts;
  contactsOfConcern: {
    id: string;
    name: string;
    relationship: Relationship;
    isVictim: boolean;
    isChild: boolean;
    restriction: Restriction;
    phoneNumbers: string[];
    callsInPeriod: number;
    /** The highest concern of a log in the period naming this contact; null when none did. */
    highestConcern: ConcernLevel | null;
  }[];
  themesOverTime: { month: string; logs: number; themes: Partial<Record<Theme, number>> }[];
  threats: {
    date: string;
    target: string;
    type: string;
    imminence: string;
    quote: string | null;
    logId: string;
  }[];
  logsOfConcern: {
    logId: string;
    callStartedAt: string;
    contactName: string | null;
    relationship: Relationship;
    confidence: Confidence;
    concernLevel: ConcernLevel;
    themes: Theme[];
    summary: string;
    loggedBy: string;
  }[];
  escalations: {
    id: string;
    target: string;
    status: string;
    reason: string;
    concernLevel: ConcernLevel;
    createdAt: string;
    closedAt: string | null;
    outcome: string | null;
    outcomeNote: string | null;
  }[];
}

export interface SummaryFacts {
  prisoner: PrisonerRow;
  establishmentName: string | null;
  period: Period;
  generatedAt: Date;
  generatedBy: string;
  authorisations: SummaryAuthorisationRow[];
  reviews: SummaryReviewRow[];
  communications: CommunicationCounts;
  contacts: ContactOfConcernRow[];
  /** The current version of each log of a call made in the period. */
  logs: LogRow[];
  escalations: SummaryEscalationRow[];
}

export type PeriodCheck =
  { ok: true; period: Period } | { ok: false; field: 'from' | 'to'; message: string };

/** The period asked for, defaulted (the last 90 days to now) and checked. `to` is exclusive. */
export function resolvePeriod(now: Date, from?: Date, to?: Date): PeriodCheck {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime())
    return { ok: false, field: 'from', message: 'must be before to' };
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    return {
      ok: false,
      field: 'from',
      message: `the period may be at most ${MAX_PERIOD_DAYS} days`,
    };
  return { ok: true, period: { from: start, to: end } };
}

function ofConcern(level: ConcernLevel): boolean {
  return concernRank(level) >= concernRank(CONCERN_THRESHOLD);
}

/** Contacts the listeners named in logs of concern: they join the contacts of concern. */
export function namedContactIds(logs: LogRow[]): string[] {
  return [
    ...new Set(
      logs
        .filter((l) => l.contactId !== null && ofConcern(l.concernLevel))
        .map((l) => l.contactId!),
    ),
  ];
}

/** The London calendar month (YYYY-MM) of an instant. */
export function londonMonth(at: Date): string {
  return WorkingCalendar.londonDate(at).slice(0, 7);
}

/** Every London month the period touches, in order (`to` is exclusive). */
export function monthsOf(period: Period): string[] {
  const last = londonMonth(new Date(period.to.getTime() - 1));
  const months: string[] = [];
  let month = londonMonth(period.from);
  for (;;) {
    months.push(month);
    if (month >= last) return months;
    const [year, m] = month.split('-').map(Number);
    month = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  }
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const byCallThenId = (a: LogRow, b: LogRow) =>
  a.callStartedAt.getTime() - b.callStartedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function buildMonitoringSummary(f: SummaryFacts): MonitoringSummary {
  const logs = [...f.logs].sort(byCallThenId);
  const p = f.prisoner;

  const highestConcern = new Map<string, ConcernLevel>();
  for (const log of logs) {
    if (!log.contactId) continue;
    const seen = highestConcern.get(log.contactId);
    if (!seen || concernRank(log.concernLevel) > concernRank(seen))
      highestConcern.set(log.contactId, log.concernLevel);
  }
  const contactNames = new Map(f.contacts.map((c) => [c.id, c.name]));

  const months = new Map<string, MonitoringSummary['themesOverTime'][number]>(
    monthsOf(f.period).map((month) => [month, { month, logs: 0, themes: {} }]),
  );
  for (const log of logs) {
    const entry = months.get(londonMonth(log.callStartedAt));
    if (!entry) continue;
    entry.logs += 1;
    for (const code of log.themeCodes) entry.themes[code] = (entry.themes[code] ?? 0) + 1;
  }

  return {
    prisoner: {
      prisonNumber: p.prisonNumber,
      name: `${p.firstName} ${p.lastName}`,
      establishmentCode: p.establishmentCode,
      establishmentName: f.establishmentName,
      mappaCategory: p.mappaCategory,
      mappaLevel: p.mappaLevel,
      roshLevel: p.roshLevel,
      earliestReleaseDate: p.earliestReleaseDate,
      pomUsername: p.pomUsername,
      alertCodes: p.alertCodes,
    },
    period: { from: iso(f.period.from), to: iso(f.period.to) },
    generatedAt: iso(f.generatedAt),
    generatedBy: f.generatedBy,
    monitoring: f.authorisations.map((a) => ({
      id: a.id,
      type: a.type,
      grounds: a.grounds,
      channels: a.channels,
      status: a.status,
      startsAt: iso(a.startsAt),
      endsAt: isoOrNull(a.endsAt),
      endedAt: isoOrNull(a.endedAt),
      endReason: a.endReason,
      approvedBy: a.approvedBy,
      reviewDueAt: iso(a.reviewDueAt),
      reviews: f.reviews
        .filter((r) => r.authorisationId === a.id)
        .map((r) => ({
          decision: r.decision,
          rationale: r.rationale,
          reviewedBy: r.reviewedBy,
          reviewedAt: iso(r.reviewedAt),
        })),
    })),
    communications: f.communications,
    contactsOfConcern: f.contacts.map((c) => ({
      id: c.id,
      name: c.name,
      relationship: c.relationship,
      isVictim: c.isVictim,
      isChild: c.isChild,
      restriction: c.restriction,
      phoneNumbers: c.phoneNumbers,
      callsInPeriod: c.callsInPeriod,
      highestConcern: highestConcern.get(c.id) ?? null,
    })),
    themesOverTime: [...months.values()],
    threats: logs.flatMap((l) =>
      l.threats.map((t) => ({
        date: iso(l.callStartedAt),
        target: t.target,
        type: t.type,
        imminence: t.imminence,
        quote: t.quote ?? null,
        logId: l.id,
      })),
    ),
    logsOfConcern: logs
      .filter((l) => ofConcern(l.concernLevel))
      .map((l) => ({
        logId: l.id,
        callStartedAt: iso(l.callStartedAt),
        contactName: l.contactId ? (contactNames.get(l.contactId) ?? null) : null,
        relationship: l.relationship,
        confidence: l.confidence,
        concernLevel: l.concernLevel,
        themes: l.themeCodes,
        summary: l.summary,
        loggedBy: l.authorUsername,
      })),
    escalations: f.escalations.map((e) => ({
      id: e.id,
      target: e.target,
      status: e.status,
      reason: e.reason,
      concernLevel: e.concernLevel,
      createdAt: iso(e.createdAt),
      closedAt: isoOrNull(e.closedAt),
      outcome: e.outcome,
      outcomeNote: e.outcomeNote,
    })),
  };
}
