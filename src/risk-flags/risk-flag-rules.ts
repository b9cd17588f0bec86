/**
 * Risk flags (DESIGN.md "Oversight figures"): the thresholds and the plain-English wording of each
 * flag. Pure functions: the repository finds the facts set-based in SQL using the windows computed
 * here, and the service turns each fact into a flag with these texts. Nothing here reads the clock
 * or the database.
 *
 * Calendar dates are London dates (a UK prison's day). A date-only `since` (e.g. "six months before
 * release") is reported as that date at 00:00 UTC.
 */
import { DAY_MS } from '../common/clock';
import {
  AuthorisationType,
  Channel,
  ConcernLevel,
  RoshLevel,
  Training,
} from '../common/vocabulary';
import { WorkingCalendar } from '../common/working-days';
import { words } from '../common/vocabulary-labels';

/** Every flag type, in the order lists are shown (API.md "Oversight"). */
export const RISK_FLAG_TYPES = [
  'MAPPA_LEVEL_NOT_SET_PRE_RELEASE',
  'MAPPA_L1_REVIEW_OVERDUE',
  'COM_NOT_ALLOCATED',
  'MONITORING_REVIEW_OVERDUE',
  'MONITORING_EXPIRED',
  'MONITORING_DECISION_OVERDUE',
  'HIGH_RISK_NOT_MONITORED',
  'CONSIDER_MONITORING',
  'LOG_UNACKNOWLEDGED',
  'POM_CASELOAD_HIGH',
  'NO_LISTENER_FOR_LANGUAGE',
  'UNHEARD_PURGE_DUE',
  'NO_ELIGIBLE_LISTENER',
  'RANDOM_ONLY_HIGH_RISK',
] as const;
export type RiskFlagType = (typeof RISK_FLAG_TYPES)[number];

/** "The MAPPA level should be set six months before release": 183 days, today inclusive. */
export const MAPPA_RELEASE_WINDOW_DAYS = 183;
/** "Level 1 cases reviewed at least every six months": overdue once the last review is older. */
export const MAPPA_L1_REVIEW_INTERVAL_DAYS = 183;
/** An expired authorisation stays flagged this long unless a new one is approved. */
export const MONITORING_EXPIRED_LOOKBACK_DAYS = 30;
/** How far ahead a prisoner's unheard calls that retention will purge are flagged. */
export const UNHEARD_PURGE_WARNING_DAYS = 7;
/** Alert codes of a domestic-abuse (RDV) or stalking (RSP) perpetrator. */
export const HIGH_RISK_ALERT_CODES = ['RDV', 'RSP'] as const;
export const HIGH_RISK_ROSH_LEVELS: readonly RoshLevel[] = ['HIGH', 'VERY_HIGH'];

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on ISO dates (YYYY-MM-DD)

/** The London calendar date of an instant. */
export function londonDate(at: Date): string {
  return WorkingCalendar.londonDate(at);
}

/** A date-only value as an instant: that date at 00:00 UTC. */
export function startOfDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

export function addDaysToDate(isoDate: string, days: number): string {
  return new Date(startOfDate(isoDate).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date `months` months after (or, negative, before) `isoDate`: whole months on the calendar (the
 * 31st becomes the last day of a shorter month), then the fraction of a month as days, an average
 * month being 365.25 / 12 days (8.5 months: 8 months and 15 days).
 */
export function addMonthsToDate(isoDate: string, months: number): string {
  const whole = Math.trunc(months);
  const [y, m, d] = isoDate.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + whole, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  const shifted = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay)),
  )
    .toISOString()
    .slice(0, 10);
  return addDaysToDate(shifted, Math.round((months - whole) * (365.25 / 12)));
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((startOfDate(to).getTime() - startOfDate(from).getTime()) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Windows the repository queries with

export interface FlagWindows {
  /** Today's London date. */
  today: string;
  /** Release dates from `today` to this date (inclusive) need a MAPPA level. */
  releaseWindowEnd: string;
  /** A level 1 review on a date before this one is overdue. */
  l1ReviewedBefore: string;
  /** Authorisations that ended (ends_at) after this instant still count as recently expired. */
  expiredAfter: Date;
}

export function flagWindows(now: Date): FlagWindows {
  const today = londonDate(now);
  return {
    today,
    releaseWindowEnd: addDaysToDate(today, MAPPA_RELEASE_WINDOW_DAYS),
    l1ReviewedBefore: addDaysToDate(today, -MAPPA_L1_REVIEW_INTERVAL_DAYS),
    expiredAfter: new Date(now.getTime() - MONITORING_EXPIRED_LOOKBACK_DAYS * DAY_MS),
  };
}

// ---------------------------------------------------------------------------------------------
// Words

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const CHANNEL_WORDS: Record<Channel, string> = { PHONE: 'phone', VIDEO: 'video', MAIL: 'mail' };
const CHANNEL_ORDER: readonly Channel[] = ['PHONE', 'VIDEO', 'MAIL'];

/** "phone", "phone and video" (in a fixed order whatever order they were stored in). */
export function channelsInWords(channels: readonly Channel[]): string {
  return listInWords(
    CHANNEL_ORDER.filter((c) => channels.includes(c)).map((c) => CHANNEL_WORDS[c]),
  );
}

const AUTHORISATION_TYPE_WORDS: Record<AuthorisationType, string> = {
  MANDATORY: 'Mandatory',
  OFFENCE_RELATED: 'Offence-related',
  INTELLIGENCE_LED: 'Intelligence-led',
  AD_HOC: 'Ad hoc',
  RANDOM: 'Random',
};

const ROSH_WORDS: Record<RoshLevel, string> = {
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
  VERY_HIGH: 'very high',
};

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** English name of an ISO 639-1 code ("ro" → "Romanian"); the code itself when unknown. */
export function languageName(code: string): string {
  try {
    const name = LANGUAGE_NAMES.of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? name : code;
  } catch {
    return code;
  }
}

// ---------------------------------------------------------------------------------------------
// One function per flag type: its detail text and, where the facts tell, since when it applies.
// `since: null` means the facts do not say; the flag then counts from when it was first seen.

export interface FlagText {
  detail: string;
  since: Date | null;
}

export function mappaLevelNotSet(
  f: { mappaCategory: number; releaseDate: string },
  today: string,
): FlagText {
  const days = daysBetween(today, f.releaseDate);
  const release = days === 0 ? 'release today' : `release in ${plural(days, 'day', 'days')}`;
  return {
    detail: `MAPPA category ${f.mappaCategory}, level not set, ${release}`,
    since: startOfDate(addDaysToDate(f.releaseDate, -MAPPA_RELEASE_WINDOW_DAYS)),
  };
}

/**
 * No COM recorded and release within the establishment's `comAllocationMonths`: probation must
 * allocate a COM that long before release, so that the handover and the release plan have one.
 * Since: the day the window opened (release − the months).
 */
export function comNotAllocated(
  f: { releaseDate: string; months: number },
  today: string,
): FlagText {
  const days = daysBetween(today, f.releaseDate);
  const release = days === 0 ? 'release today' : `release in ${plural(days, 'day', 'days')}`;
  return {
    detail: `No community offender manager recorded, ${release} (${f.releaseDate}); one is due ${f.months} months before release`,
    since: startOfDate(addMonthsToDate(f.releaseDate, -f.months)),
  };
}

/** `reviewedOn` null: no review recorded; the flag counts from when it was first seen. */
export function mappaL1ReviewOverdue(f: { reviewedOn: string | null }, today: string): FlagText {
  if (!f.reviewedOn) return { detail: 'MAPPA level 1, no review recorded', since: null };
  const ago = daysBetween(f.reviewedOn, today);
  return {
    detail: `MAPPA level 1, last reviewed ${f.reviewedOn} (${plural(ago, 'day', 'days')} ago)`,
    // The first day on which the last review was more than the interval ago.
    since: startOfDate(addDaysToDate(f.reviewedOn, MAPPA_L1_REVIEW_INTERVAL_DAYS + 1)),
  };
}

export function monitoringReviewOverdue(
  f: { type: AuthorisationType; channels: Channel[]; reviewDueAt: Date },
  today: string,
): FlagText {
  const due = londonDate(f.reviewDueAt);
  const days = daysBetween(due, today);
  const overdue = days <= 0 ? 'due today' : `${plural(days, 'day', 'days')} overdue`;
  return {
    detail: `${AUTHORISATION_TYPE_WORDS[f.type]} ${channelsInWords(f.channels)} monitoring review was due ${due} (${overdue})`,
    since: f.reviewDueAt,
  };
}

export function monitoringExpired(f: {
  channels: Channel[];
  endsAt: Date;
  callsSinceNotHeard: number;
}): FlagText {
  const calls =
    f.callsSinceNotHeard === 0
      ? 'no calls since'
      : `${plural(f.callsSinceNotHeard, 'call', 'calls')} since not heard`;
  return {
    detail: `${capitalise(channelsInWords(f.channels))} monitoring expired on ${londonDate(f.endsAt)}; no authorisation since; ${calls}`,
    since: f.endsAt,
  };
}

/** A monitoring decision on arrival (src/decisions) still not made after its due time. */
export function monitoringDecisionOverdue(f: { reason: string; dueAt: Date }): FlagText {
  return {
    detail: `Decision on monitoring was due ${londonDate(f.dueAt)}, not made: ${f.reason}`,
    since: f.dueAt,
  };
}

export function highRiskNotMonitored(f: { alertCodes: string[]; roshLevel: RoshLevel }): FlagText {
  const kinds = [
    ...(f.alertCodes.includes('RDV') ? ['domestic-abuse'] : []),
    ...(f.alertCodes.includes('RSP') ? ['stalking'] : []),
  ];
  return {
    detail: `${capitalise(listInWords(kinds))} perpetrator, RoSH ${ROSH_WORDS[f.roshLevel]}, not on phone monitoring`,
    since: null,
  };
}

/**
 * A live call-pattern alert on a prisoner not on phone monitoring: the alerts' reasons, most telling
 * first. Since: the first call behind the alerts.
 */
export function considerMonitoring(f: { reasons: string[]; since: Date }): FlagText {
  const more = f.reasons.length - 1;
  const others =
    more > 0 ? ` (and ${plural(more, 'more pattern alert', 'more pattern alerts')})` : '';
  return {
    detail: `${f.reasons[0]}${others}; not on monitoring: consider an authorisation`,
    since: f.since,
  };
}

export function logUnacknowledged(f: {
  target?: 'POM' | 'COM';
  concernLevel: ConcernLevel;
  assignee: string | null;
  createdAt: Date;
  dueAt: Date;
}): FlagText {
  const to = f.assignee ? `to ${f.assignee}` : 'to the POM (none assigned)';
  const forCom = f.target === 'COM' ? ' for the COM' : '';
  return {
    detail: `${words('concern', f.concernLevel)}${forCom} escalated ${to} on ${londonDate(f.createdAt)}, not acknowledged; due ${londonDate(f.dueAt)}`,
    since: f.dueAt,
  };
}

export function pomCaseloadHigh(f: {
  username: string;
  prisoners: number;
  threshold: number;
}): FlagText {
  return {
    detail: `${f.username} has ${plural(f.prisoners, 'prisoner', 'prisoners')} (threshold ${f.threshold})`,
    since: null,
  };
}

export function noListenerForLanguage(f: {
  language: string;
  calls: number;
  oldestStartedAt: Date;
}): FlagText {
  const wait = f.calls === 1 ? 'waits' : 'wait';
  return {
    detail: `${plural(f.calls, 'call', 'calls')} in ${languageName(f.language)} ${wait}; no listener here speaks it (oldest ${londonDate(f.oldestStartedAt)})`,
    since: f.oldestStartedAt,
  };
}

/**
 * Calls of a monitored prisoner not yet heard that retention purges within the warning window:
 * `purgeFrom` is when the oldest of them goes (made + the establishment's retention days). Since: the
 * day the oldest came within the window.
 */
export function unheardPurgeDue(f: {
  calls: number;
  oldestStartedAt: Date;
  purgeFrom: Date;
}): FlagText {
  const when = f.calls === 1 ? ' on' : ', the first on';
  return {
    detail: `${plural(f.calls, 'call', 'calls')} not yet heard will be purged by retention${when} ${londonDate(f.purgeFrom)} (made ${londonDate(f.oldestStartedAt)}): hear or hold`,
    since: new Date(f.purgeFrom.getTime() - UNHEARD_PURGE_WARNING_DAYS * DAY_MS),
  };
}

// ---------------------------------------------------------------------------------------------
// Who may hear the calls, and what monitoring covers them (issue 13, item 7)

const TRAINING_WORDS: Record<Training, string> = {
  PUBLIC_PROTECTION: 'public protection',
  DOMESTIC_ABUSE: 'domestic abuse',
  CHILD_SAFEGUARDING: 'child safeguarding',
};
const TRAINING_ORDER = Object.keys(TRAINING_WORDS) as Training[];

/**
 * A prisoner's waiting calls that no current listener of the establishment may take: none who is
 * active, holds every training the calls need unexpired, speaks their language and has no conflict
 * of interest on the prisoner. They would wait until retention purges them. `trainings` are those
 * the calls need, `languages` theirs other than English. Since: the oldest call's startedAt.
 */
export function noEligibleListener(f: {
  calls: number;
  oldestStartedAt: Date;
  trainings: readonly Training[];
  languages: readonly string[];
}): FlagText {
  const wait = f.calls === 1 ? 'waits' : 'wait';
  const needs: string[] = [];
  const trainings = TRAINING_ORDER.filter((t) => f.trainings.includes(t));
  if (trainings.length)
    needs.push(`current ${listInWords(trainings.map((t) => TRAINING_WORDS[t]))} training`);
  if (f.languages.length) needs.push(listInWords([...f.languages].sort().map(languageName)));
  const need = needs.length ? ` (needs ${needs.join(' and ')})` : '';
  return {
    detail: `${plural(f.calls, 'call', 'calls')} ${wait} that no current listener here may take${need}; oldest ${londonDate(f.oldestStartedAt)}`,
    since: f.oldestStartedAt,
  };
}

/** MAPPA levels and RoSH for which random monitoring alone is not enough. */
export const RANDOM_ONLY_MAPPA_LEVELS: readonly number[] = [2, 3];
export const RANDOM_ONLY_ROSH_LEVELS: readonly RoshLevel[] = ['VERY_HIGH'];

/**
 * A MAPPA level 2/3 or RoSH very high prisoner whose monitoring of a channel is only RANDOM:
 * random monitoring takes the lowest priority and is no basis for hearing a high-risk case.
 * `channels` are those only random monitoring covers. Since: when that monitoring started.
 */
export function randomOnlyHighRisk(f: {
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  channels: Channel[];
  since: Date;
}): FlagText {
  const risk = [
    ...(f.mappaLevel !== null && RANDOM_ONLY_MAPPA_LEVELS.includes(f.mappaLevel)
      ? [`MAPPA level ${f.mappaLevel}`]
      : []),
    ...(f.roshLevel !== null && RANDOM_ONLY_ROSH_LEVELS.includes(f.roshLevel)
      ? [`RoSH ${ROSH_WORDS[f.roshLevel]}`]
      : []),
  ];
  return {
    detail: `${risk.join(', ')}: ${channelsInWords(f.channels)} monitoring is random only (the lowest priority); consider offence-related or intelligence-led monitoring`,
    since: f.since,
  };
}
