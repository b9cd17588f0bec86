/* Why this file is long: every pattern rule with its thresholds and reasons, pure and in one place, as
   the priority policy is; its spec beside it tests each rule. */
/**
 * Call-pattern alerts: the thresholds (per-establishment `patterns` settings) turned into alerts with
 * a short human reason and their evidence. Pure functions: the repository gathers the facts of each
 * (prisoner, number) pair of a batch with set-based SQL; nothing here reads the clock or the database.
 *
 * Every window is anchored on the calls themselves (startedAt), never on "now", so a back-filled batch
 * is judged as it would have been when the calls were made. Windows are inclusive at both ends.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DAY_MS, HOUR_MS } from '../common/clock';
import { AuthorisationType, Channel, Ground } from '../common/vocabulary';
import { PatternThresholds } from '../establishments/settings';

export const PATTERN_KINDS = [
  'BURST',
  'RATE_SPIKE',
  'NEW_NUMBER_REPEATED',
  'PROTECTED_CONTACT',
  'OTHER_PRISONERS_PROTECTED_CONTACT',
  'PRIVILEGED_SOCIAL_USE',
] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

/** The order alerts of one prisoner are told in (most telling first). */
export const PATTERN_KINDS_BY_WEIGHT: readonly PatternKind[] = [
  'PROTECTED_CONTACT',
  'OTHER_PRISONERS_PROTECTED_CONTACT',
  'BURST',
  'NEW_NUMBER_REPEATED',
  'RATE_SPIKE',
  'PRIVILEGED_SOCIAL_USE',
];

export const PATTERN_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'DISMISSED'] as const;
export type PatternStatus = (typeof PATTERN_STATUSES)[number];

/** Kinds that may suggest monitoring. Privileged social use is a security review of the number only. */
export const MONITORING_KINDS: readonly PatternKind[] = PATTERN_KINDS.filter(
  (k) => k !== 'PRIVILEGED_SOCIAL_USE',
);

export const BURST_WINDOW_HOURS = 24;
export const RATE_HISTORY_DAYS = 30;
export const NEW_NUMBER_WINDOW_HOURS = 48;
/**
 * Days of the prisoner's calls that must be on record before a number can be called "new" or a day
 * "far above his own rate": without history every number is new and every day a spike (a new
 * reception, the day the feed starts).
 */
export const MIN_HISTORY_DAYS = 7;
export const PRIVILEGED_WINDOW_DAYS = 7;

/** What the repository finds about one (prisoner, number) pair of a batch. */
export interface PairFacts {
  /** The prisoner's current establishment: its thresholds apply and the alert belongs to it. */
  establishmentCode: string;
  prisonNumber: string;
  /** E.164 (or the digits of a service number). */
  dialledNumber: string;
  /** Earliest and latest of the batch's calls of this pair. */
  batchFrom: Date;
  batchTo: Date;
  /** The busiest 24 hours ending at one of the batch's calls: its calls, first and last call. */
  callsIn24h: number;
  firstIn24h: Date;
  lastIn24h: Date;
  /** Calls to the number in the 30 days before that 24-hour window. */
  callsPrevious30Days: number;
  /** The prisoner's first call to this number, ever. */
  firstCalledAt: Date;
  /** Calls to the number within 48 hours of the first (inclusive), and the last of them. */
  callsFirst48h: number;
  lastFirst48h: Date;
  /** The prisoner's first call to any number on record. */
  prisonerFirstCallAt: Date;
  /** Calls to the number up to the batch's latest. */
  callsToDate: number;
  /** Privileged directory kind (national or the call's establishment), or LEGAL_ADVISER contact. */
  privilegedKind: string | null;
  /** The prisoner's own contacts on this number who are victims or under a no-contact/harassment restriction. */
  protectedContacts: ProtectedContactFact[];
  /** Other prisoners for whom this number is a victim or restricted contact. */
  othersProtected: OtherPrisonerFact[];
  /** Privileged pairs only: calls from 7 days before the batch's first to its last, oldest first. */
  privilegedCalls: { startedAt: Date; durationSeconds: number }[];
}

export interface ProtectedContactFact {
  name: string;
  relationship: string;
  isVictim: boolean;
  restriction: string;
}

export interface OtherPrisonerFact {
  prisonNumber: string;
  establishmentCode: string;
  isVictim: boolean;
  restriction: string;
}

export interface PatternCandidate {
  establishmentCode: string;
  prisonNumber: string;
  dialledNumber: string;
  kind: PatternKind;
  reason: string;
  evidence: Record<string, unknown>;
  callCount: number;
  firstCallAt: Date;
  lastCallAt: Date;
}

// ---------------------------------------------------------------------------------------------
// Words

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "07911 123456" for a UK number, the international form otherwise, the digits of a service number. */
export function displayNumber(dialled: string): string {
  const parsed = dialled.startsWith('+') ? parsePhoneNumberFromString(dialled) : undefined;
  if (!parsed) return dialled;
  return parsed.countryCallingCode === '44'
    ? parsed.formatNational()
    : parsed.formatInternational();
}

const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The hour (0–23) on a London clock. */
export function londonHour(at: Date): number {
  return Number(LONDON_HOUR.format(at));
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "18 Nov 2026, 08:00" (London time). */
export function londonTime(at: Date): string {
  return LONDON_TIME.format(at);
}

/** "victim", "no-contact restriction", "harassment order". */
function protections(f: { isVictim: boolean; restriction: string }): string[] {
  return [
    ...(f.isVictim ? ['victim'] : []),
    ...(f.restriction === 'NO_CONTACT' ? ['no-contact restriction'] : []),
    ...(f.restriction === 'HARASSMENT_ORDER' ? ['harassment order'] : []),
  ];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const iso = (d: Date) => d.toISOString();

// ---------------------------------------------------------------------------------------------
// One function per kind; null when the pattern is not there.

type Detected = Omit<
  PatternCandidate,
  'establishmentCode' | 'prisonNumber' | 'dialledNumber' | 'kind'
>;

/** Whether the number was new when the window starting at `from` began (see MIN_HISTORY_DAYS). */
export function isNewNumberAt(f: PairFacts, from: Date): boolean {
  const knownLongEnough =
    f.prisonerFirstCallAt.getTime() <= f.firstCalledAt.getTime() - MIN_HISTORY_DAYS * DAY_MS;
  return (
    knownLongEnough &&
    from.getTime() - f.firstCalledAt.getTime() <= NEW_NUMBER_WINDOW_HOURS * HOUR_MS
  );
}

/** Many calls to one number within 24 hours. */
export function burst(f: PairFacts, t: PatternThresholds): Detected | null {
  if (f.callsIn24h < t.burstCalls24h) return null;
  const newNumber = isNewNumberAt(f, f.firstIn24h);
  return {
    reason: `${f.callsIn24h} calls to ${displayNumber(f.dialledNumber)} in 24 hours${newNumber ? ' (new number)' : ''}`,
    evidence: {
      windowHours: BURST_WINDOW_HOURS,
      calls: f.callsIn24h,
      from: iso(f.firstIn24h),
      to: iso(f.lastIn24h),
      threshold: t.burstCalls24h,
      newNumber,
      firstCalledAt: iso(f.firstCalledAt),
    },
    callCount: f.callsIn24h,
    firstCallAt: f.firstIn24h,
    lastCallAt: f.lastIn24h,
  };
}

/**
 * A day far above the prisoner's own daily rate to the number over the 30 days before it. The rate is
 * over the part of those 30 days his calls are on record, and needs at least MIN_HISTORY_DAYS of it
 * and an earlier call to the number ("only if there is history").
 */
export function rateSpike(f: PairFacts, t: PatternThresholds): Detected | null {
  if (f.callsPrevious30Days === 0 || f.callsIn24h < t.rateSpikeMinCalls) return null;
  const historyEnd = f.lastIn24h.getTime() - BURST_WINDOW_HOURS * HOUR_MS;
  const historyStart = Math.max(
    f.prisonerFirstCallAt.getTime(),
    historyEnd - RATE_HISTORY_DAYS * DAY_MS,
  );
  const historyDays = (historyEnd - historyStart) / DAY_MS;
  if (historyDays < MIN_HISTORY_DAYS) return null;
  const dailyRate = f.callsPrevious30Days / historyDays;
  if (f.callsIn24h < t.rateSpikeMultiplier * dailyRate) return null;
  const rate = dailyRate < 0.1 ? '< 0.1' : dailyRate.toFixed(1);
  const days = Math.floor(historyDays + 1e-9);
  return {
    reason: `${f.callsIn24h} calls to ${displayNumber(f.dialledNumber)} in 24 hours against ${rate} a day over the previous ${days} days`,
    evidence: {
      windowHours: BURST_WINDOW_HOURS,
      calls: f.callsIn24h,
      from: iso(f.firstIn24h),
      to: iso(f.lastIn24h),
      callsPrevious30Days: f.callsPrevious30Days,
      historyDays: Math.round(historyDays * 10) / 10,
      dailyRate: round2(dailyRate),
      multiplier: t.rateSpikeMultiplier,
      minCalls: t.rateSpikeMinCalls,
    },
    callCount: f.callsIn24h,
    firstCallAt: f.firstIn24h,
    lastCallAt: f.lastIn24h,
  };
}

/** A new number called repeatedly within its first 48 hours (when the batch reaches into them). */
export function newNumberRepeated(f: PairFacts, t: PatternThresholds): Detected | null {
  if (f.callsFirst48h < t.newNumberCalls48h) return null;
  if (!isNewNumberAt(f, f.firstCalledAt)) return null;
  const windowEnd = f.firstCalledAt.getTime() + NEW_NUMBER_WINDOW_HOURS * HOUR_MS;
  if (f.batchFrom.getTime() > windowEnd) return null;
  return {
    reason: `new number ${displayNumber(f.dialledNumber)} called ${f.callsFirst48h} times within 48 hours of the first call`,
    evidence: {
      windowHours: NEW_NUMBER_WINDOW_HOURS,
      calls: f.callsFirst48h,
      firstCalledAt: iso(f.firstCalledAt),
      to: iso(f.lastFirst48h),
      threshold: t.newNumberCalls48h,
      callsOnRecordSince: iso(f.prisonerFirstCallAt),
    },
    callCount: f.callsFirst48h,
    firstCallAt: f.firstCalledAt,
    lastCallAt: f.lastFirst48h,
  };
}

/** Any call to the prisoner's own victim or restricted contact. */
export function protectedContact(f: PairFacts): Detected | null {
  if (f.protectedContacts.length === 0) return null;
  const contacts = [...f.protectedContacts].sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      a.relationship.localeCompare(b.relationship) ||
      Number(b.isVictim) - Number(a.isVictim) ||
      a.restriction.localeCompare(b.restriction),
  );
  const names = listInWords(contacts.map((c) => c.name));
  const what = [...new Set(contacts.flatMap(protections))];
  return {
    reason: `${plural(f.callsToDate, 'call', 'calls')} to ${names} on ${displayNumber(f.dialledNumber)} (${what.join(', ')})`,
    evidence: {
      calls: f.callsToDate,
      contacts: contacts.map((c) => ({
        name: c.name,
        relationship: c.relationship,
        isVictim: c.isVictim,
        restriction: c.restriction,
      })),
    },
    callCount: f.callsToDate,
    firstCallAt: f.firstCalledAt,
    lastCallAt: f.batchTo,
  };
}

/** The number is a victim or restricted contact of another prisoner: witness intimidation or relayed contact. */
export function otherPrisonersProtectedContact(f: PairFacts): Detected | null {
  if (f.othersProtected.length === 0) return null;
  const others = [...f.othersProtected].sort(
    (a, b) =>
      a.prisonNumber.localeCompare(b.prisonNumber) ||
      Number(b.isVictim) - Number(a.isVictim) ||
      a.restriction.localeCompare(b.restriction),
  );
  const prisoners = [...new Set(others.map((o) => o.prisonNumber))];
  const what = [...new Set(others.flatMap(protections))];
  const whose =
    prisoners.length === 1
      ? `another prisoner (${prisoners[0]})`
      : `other prisoners (${listInWords(prisoners)})`;
  return {
    reason: `${plural(f.callsToDate, 'call', 'calls')} to ${displayNumber(f.dialledNumber)}, protected contact (${what.join(', ')}) of ${whose}: possible witness intimidation or relayed contact`,
    evidence: {
      calls: f.callsToDate,
      otherPrisoners: others.map((o) => ({
        prisonNumber: o.prisonNumber,
        establishmentCode: o.establishmentCode,
        isVictim: o.isVictim,
        restriction: o.restriction,
      })),
    },
    callCount: f.callsToDate,
    firstCallAt: f.firstCalledAt,
    lastCallAt: f.batchTo,
  };
}

/**
 * Long evening calls to a privileged number, many of them within 7 days: looks social. A security
 * review of the number (is it really a solicitor?), never a reason to listen: privileged calls are
 * never queued whatever alerts they carry.
 */
export function privilegedSocialUse(f: PairFacts, t: PatternThresholds): Detected | null {
  if (!f.privilegedKind) return null;
  const social = f.privilegedCalls
    .filter(
      (c) =>
        c.durationSeconds >= t.privilegedSocialMinMinutes * 60 &&
        londonHour(c.startedAt) >= t.privilegedSocialEveningHour,
    )
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  let best: typeof social = [];
  for (let end = 0; end < social.length; end++) {
    const last = social[end].startedAt.getTime();
    if (last < f.batchFrom.getTime()) continue;
    const inWindow = social.filter(
      (c, i) => i <= end && c.startedAt.getTime() >= last - PRIVILEGED_WINDOW_DAYS * DAY_MS,
    );
    if (inWindow.length >= best.length) best = inWindow;
  }
  if (best.length === 0 || best.length < t.privilegedSocialCalls7d) return null;
  const kind = f.privilegedKind.toLowerCase().replace(/_/g, ' ');
  return {
    reason: `${best.length} evening calls of ${t.privilegedSocialMinMinutes} minutes or more in 7 days to privileged number ${displayNumber(f.dialledNumber)} (${kind}): security review of the number; never listened to`,
    evidence: {
      privilegedKind: f.privilegedKind,
      windowDays: PRIVILEGED_WINDOW_DAYS,
      minMinutes: t.privilegedSocialMinMinutes,
      eveningHour: t.privilegedSocialEveningHour,
      threshold: t.privilegedSocialCalls7d,
      calls: best.map((c) => ({
        startedAt: iso(c.startedAt),
        minutes: Math.round(c.durationSeconds / 60),
      })),
    },
    callCount: best.length,
    firstCallAt: best[0].startedAt,
    lastCallAt: best[best.length - 1].startedAt,
  };
}

/**
 * Every pattern of one pair. A privileged number is only ever examined for social use: its calls are
 * never heard, so bursts to a solicitor prove nothing and must not suggest monitoring.
 */
export function detectPatterns(f: PairFacts, t: PatternThresholds): PatternCandidate[] {
  const found: [PatternKind, Detected | null][] = f.privilegedKind
    ? [['PRIVILEGED_SOCIAL_USE', privilegedSocialUse(f, t)]]
    : [
        ['BURST', burst(f, t)],
        ['RATE_SPIKE', rateSpike(f, t)],
        ['NEW_NUMBER_REPEATED', newNumberRepeated(f, t)],
        ['PROTECTED_CONTACT', protectedContact(f)],
        ['OTHER_PRISONERS_PROTECTED_CONTACT', otherPrisonersProtectedContact(f)],
      ];
  return found.flatMap(([kind, d]) =>
    d
      ? [
          {
            establishmentCode: f.establishmentCode,
            prisonNumber: f.prisonNumber,
            dialledNumber: f.dialledNumber,
            kind,
            ...d,
          },
        ]
      : [],
  );
}

// ---------------------------------------------------------------------------------------------
// The authorisation a pattern may justify (a draft: staff submit it themselves, or not)

export interface DraftAlert {
  kind: PatternKind;
  reason: string;
  firstCallAt: Date | null;
  lastCallAt: Date | null;
}

export interface AuthorisationDraft {
  type: AuthorisationType;
  grounds: Ground[];
  channels: Channel[];
  justification: string;
  lookbackDays: number;
}

const MAX_LOOKBACK_DAYS = 90;
const MAX_JUSTIFICATION = 5000;
const MAX_LISTED_ALERTS = 20;

/**
 * The body of `POST /api/prisoners/{prisonNumber}/monitoring-authorisations` the alerts would
 * support: intelligence-led, phone, crime and public safety, with the evidence in plain English and
 * a look-back that reaches the first call behind the alerts (one day spare, at most 90).
 * `alerts` in the order to tell them (the alert asked about first).
 */
export function authorisationDraft(
  prisoner: { prisonNumber: string; alertCodes: string[] },
  alerts: readonly DraftAlert[],
  now: Date,
): AuthorisationDraft {
  const firsts = alerts.flatMap((a) => (a.firstCallAt ? [a.firstCallAt.getTime()] : []));
  const earliest = firsts.length ? Math.min(...firsts) : now.getTime();
  const lookbackDays = Math.min(
    MAX_LOOKBACK_DAYS,
    Math.max(0, Math.ceil((now.getTime() - earliest) / DAY_MS)) + 1,
  );
  const lines = alerts.slice(0, MAX_LISTED_ALERTS).map((a) => {
    const when =
      a.firstCallAt && a.lastCallAt
        ? ` (${londonTime(a.firstCallAt)} to ${londonTime(a.lastCallAt)})`
        : '';
    return `- ${a.reason}${when}`;
  });
  if (alerts.length > MAX_LISTED_ALERTS)
    lines.push(`- and ${plural(alerts.length - MAX_LISTED_ALERTS, 'more alert', 'more alerts')}`);
  const codes = prisoner.alertCodes.length
    ? ` The prisoner's alert codes: ${prisoner.alertCodes.join(', ')}.`
    : '';
  const text = [
    `Call-pattern alerts on ${prisoner.prisonNumber}'s call records (call metadata only: none of these calls has been listened to):`,
    ...lines,
    `${codes.trim()}`,
    'Monitoring is necessary to prevent crime and to protect the people being called: what these calls contain can be known only by hearing them.',
    `It is proportionate: phone calls only, for the intelligence-led review period, with a look-back of ${plural(lookbackDays, 'day', 'days')} that reaches only the calls behind these alerts.`,
  ]
    .filter((l) => l !== '')
    .join('\n');
  return {
    type: 'INTELLIGENCE_LED',
    grounds: ['CRIME', 'PUBLIC_SAFETY'],
    channels: ['PHONE'],
    justification:
      text.length <= MAX_JUSTIFICATION ? text : `${text.slice(0, MAX_JUSTIFICATION - 1)}…`,
    lookbackDays,
  };
}
