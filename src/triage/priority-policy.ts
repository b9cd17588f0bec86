/* Why this file is long: it is the whole priority policy, every tier rule and what it reads, kept in one file on purpose (STYLE.md: a reader finds the rule for a tier here). */
/**
 * Priority policy v2 (DESIGN.md "Priority policy", issue 13: key dates, domestic abuse and
 * stalking, burst cap). Pure functions: everything a decision needs is passed in, nothing is read
 * from the database or the clock here. The rule for a tier lives in this file and nowhere else.
 */
import { deriveRiskFromAlertCodes, RiskFlag } from '../prisoners/alert-codes';
import { daysUntil, nextKeyDate } from '../prisoners/key-dates';
import { Channel, Relationship, Tier, Training } from '../common/vocabulary';
import { addHours, DAY_MS } from '../common/clock';
import { transcriptHitPhrases } from '../transcripts/lexicon';
import {
  AuthorisationFacts,
  CallFacts,
  CallsToNumberFacts,
  ContactFacts,
  KeyDateFacts,
  KeyDateType,
  PolicySettings,
  PrisonerFacts,
  PrivilegedEntryFacts,
  TriageFacts,
} from './triage-facts';

export { daysUntil, nextKeyDate };

export type {
  AuthorisationFacts,
  CallFacts,
  CallsToNumberFacts,
  ContactFacts,
  KeyDateFacts,
  PolicySettings,
  PrisonerFacts,
  PrivilegedEntryFacts,
  TriageFacts,
} from './triage-facts';

export type TriageDecision =
  | {
      status: 'EXCLUDED_PRIVILEGED';
      contactId: string | null;
      privilegedKind: string;
      reasons: string[];
    }
  | { status: 'NOT_MONITORED'; contactId: string | null; reasons: string[] }
  | {
      status: 'PENDING' | 'AWAITING_TRANSLATION';
      contactId: string | null;
      tier: Tier;
      dueAt: Date;
      effectiveDueAt: Date;
      reasons: string[];
      requiredTrainings: Training[];
      leadListenerUsername: string | null;
    };

/**
 * The policy's version. Bump it in the release that changes what any rule decides: the worker then
 * re-scores every waiting call once under the new rules (job `rescore-for-policy`), so calls
 * triaged before the release do not keep the old tiers until something else about them changes.
 * 2: policy v2 (key dates, domestic-abuse partners, OVI, burst cap, ageing, CHILD_SAFEGUARDING).
 */
export const POLICY_VERSION = 2;

/** Risk credits in hours: how much earlier than its due time a call is heard, within its tier. */
export const RISK_CREDIT_HOURS = {
  mappaLevel3: 12,
  mappaLevel2: 6,
  roshVeryHigh: 12,
  roshHigh: 6,
  numberFirstSeen: 6,
  childContactCallingChild: 6,
  domesticAbuseCallingPartner: 6,
} as const;

const RELEASE_WINDOW_DAYS = 183;

/** Mail correspondents whose letters are privileged (Prison Rule 39) and never read. */
export const RULE_39_KINDS: readonly string[] = [
  'LEGAL_ADVISER',
  'COURT',
  'MP',
  'OMBUDSMAN',
  'CCRC',
  'OTHER_PRIVILEGED',
];

/** A contact with this relationship is privileged wherever the number is dialled. */
export const PRIVILEGED_RELATIONSHIP: Relationship = 'LEGAL_ADVISER';

/** Every listener hears English; other languages only where some listener speaks them. */
export const ENGLISH = 'en';

/** The prisoner's contact whose numbers include the dialled number, if any. */
export function resolveContact(
  dialledNumber: string,
  contacts: readonly ContactFacts[],
): ContactFacts | null {
  return contacts.find((c) => c.phoneNumbers.includes(dialledNumber)) ?? null;
}

/**
 * The directory's kind for the call's number: an entry of the call's establishment or a national
 * one (the first listed), never another establishment's.
 */
export function directoryKindFor(
  call: Pick<CallFacts, 'establishmentCode'>,
  entries: readonly PrivilegedEntryFacts[],
): string | null {
  return (
    entries.find(
      (p) => p.establishmentCode === null || p.establishmentCode === call.establishmentCode,
    )?.kind ?? null
  );
}

/** A letter to or from a Rule 39 correspondent is privileged; its kind, else null. */
export function rule39KindOf(mailCorrespondentKind: string | null): string | null {
  return mailCorrespondentKind !== null && RULE_39_KINDS.includes(mailCorrespondentKind)
    ? mailCorrespondentKind
    : null;
}

/**
 * Privileged calls are never queued: a directory number (or a Rule 39 letter), or a contact recorded
 * as a legal adviser.
 */
export function privilegedKindOf(
  contact: ContactFacts | null,
  directoryKind: string | null,
): string | null {
  if (directoryKind) return directoryKind;
  if (contact?.relationship === PRIVILEGED_RELATIONSHIP) return PRIVILEGED_RELATIONSHIP;
  return null;
}

/** Mail is read, not listened to: it has its own SLA hours. */
export function slaHoursFor(channel: Channel, settings: PolicySettings): Record<Tier, number> {
  return channel === 'MAIL' ? settings.mailSlaHours : settings.slaHours;
}

/** Whether some listener here can hear the call's language (compared in lower case). */
export function languageHeard(language: string, listenerLanguages: ReadonlySet<string>): boolean {
  return language === ENGLISH || listenerLanguages.has(language);
}

/**
 * Phrases spotted in the call's transcript: the built-in threat phrases, the establishment's own and
 * the names of the prisoner's protected contacts (at most MAX_REASON_PHRASES). None without one.
 */
export function transcriptHitsOf(
  call: Pick<CallFacts, 'transcript'>,
  settings: Pick<PolicySettings, 'keywordLexicon'>,
  contacts: readonly ContactFacts[],
): string[] {
  return transcriptHitPhrases(call.transcript, settings.keywordLexicon, contacts);
}

/** ACTIVE authorisations whose channel and period (with look-back) include the call. */
export function coveringAuthorisations(
  call: Pick<CallFacts, 'startedAt' | 'channel'>,
  authorisations: readonly AuthorisationFacts[],
): AuthorisationFacts[] {
  const at = call.startedAt.getTime();
  return authorisations.filter(
    (a) =>
      a.channels.includes(call.channel) &&
      at >= a.startsAt.getTime() - a.lookbackDays * DAY_MS &&
      (a.endsAt === null || at < a.endsAt.getTime()),
  );
}

export function riskFlagsOf(prisoner: PrisonerFacts): Set<RiskFlag> {
  return new Set(deriveRiskFromAlertCodes(prisoner.alertCodes).flags);
}

function isChildContact(contact: ContactFacts | null): boolean {
  return contact !== null && (contact.isChild || contact.relationship === 'CHILD');
}

function isPartnerContact(contact: ContactFacts | null): boolean {
  return (
    contact !== null &&
    (contact.relationship === 'PARTNER' || contact.relationship === 'EX_PARTNER')
  );
}

function releaseWithinWindow(prisoner: PrisonerFacts, now: Date): boolean {
  const release = nextKeyDate(
    keyDatesOf(prisoner).filter((k) => k.type === 'RELEASE'),
    now,
  );
  if (!release) return false;
  const days = (release.date.getTime() - now.getTime()) / DAY_MS;
  return days >= 0 && days <= RELEASE_WINDOW_DAYS;
}

const KEY_DATE_WORDS: Record<KeyDateType, string> = {
  RELEASE: 'release',
  ROTL: 'release on temporary licence',
  HDC: 'home detention curfew',
  PAROLE_HEARING: 'parole hearing',
};

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** The prisoner's key dates, with `earliestReleaseDate` counted as a release date. */
export function keyDatesOf(
  prisoner: Pick<PrisonerFacts, 'earliestReleaseDate' | 'keyDates'>,
): KeyDateFacts[] {
  return prisoner.earliestReleaseDate
    ? [...prisoner.keyDates, { type: 'RELEASE', date: prisoner.earliestReleaseDate }]
    : [...prisoner.keyDates];
}

/** The key date in words, e.g. "release on 10 January 2027 (in 30 days)". */
export function keyDateReason(k: KeyDateFacts, now: Date): string {
  const days = daysUntil(k.date, now);
  const when = days === 0 ? 'today' : days === 1 ? 'in 1 day' : `in ${days} days`;
  return `${KEY_DATE_WORDS[k.type]} on ${LONG_DATE.format(k.date)} (${when})`;
}

/**
 * The prisoner's next key date and what it does: within the window his calls are at least P2
 * (`windowReason`); whatever the window, no call is due later than the key date minus the margin
 * (`dueBy`), so that a call is heard while something can still be done about it.
 */
export function preRelease(
  prisoner: PrisonerFacts,
  settings: Pick<PolicySettings, 'preReleaseWindowDays' | 'preReleaseMarginHours'>,
  now: Date,
): { reason: string; withinWindow: boolean; dueBy: Date } | null {
  const next = nextKeyDate(keyDatesOf(prisoner), now);
  if (!next) return null;
  return {
    reason: keyDateReason(next, now),
    withinWindow: daysUntil(next.date, now) <= settings.preReleaseWindowDays,
    dueBy: addHours(next.date, -settings.preReleaseMarginHours),
  };
}

export interface TierInputs {
  now: Date;
  prisoner: PrisonerFacts;
  flags: ReadonlySet<RiskFlag>;
  contact: ContactFacts | null;
  covering: readonly AuthorisationFacts[];
  hasOpenHighConcernEscalation: boolean;
  openPatternAlertReason: string | null;
  transcriptHits?: readonly string[];
  /** The next key date in words when it is within the pre-release window, else null. */
  preReleaseReason?: string | null;
  /** The call's place among the prisoner's calls to the number (with a pattern alert). */
  callsToNumber?: CallsToNumberFacts | null;
  /** How many of those calls, newest first, the alert lifts to P1 (unlimited when not given). */
  burstP1Cap?: number;
}

/**
 * Whether an open pattern alert lifts this call to P1: only the newest `burstP1Cap` calls of the
 * prisoner to the number are, so that one prisoner's burst of hundreds of calls cannot fill P1
 * ahead of every other victim's calls. Without the call's place known, it is lifted.
 */
export function liftedByPatternAlert(
  i: Pick<TierInputs, 'openPatternAlertReason' | 'callsToNumber' | 'burstP1Cap'>,
): boolean {
  if (!i.openPatternAlertReason) return false;
  if (!i.callsToNumber || i.burstP1Cap === undefined) return true;
  return i.callsToNumber.newerCalls < i.burstP1Cap;
}

/**
 * Where a burst's call lifted to P1 stands in the queue: the newest call at its own due time, each
 * older one later by as much as it is older, so that the burst is heard newest first (the latest
 * calls say most about what is happening now) and behind P1 calls due before its newest.
 */
export function burstOrderAt(
  startedAt: Date,
  callsToNumber: CallsToNumberFacts,
  p1SlaHours: number,
): Date {
  const newest = callsToNumber.newestStartedAt.getTime();
  return addHours(new Date(newest + (newest - startedAt.getTime())), p1SlaHours);
}

/** The tier an aged call climbs to: one up, never into P1. */
const CLIMBS_TO: Partial<Record<Tier, Tier>> = { P4: 'P3', P3: 'P2' };

/** Tiers whose waiting calls may climb by ageing (passed to SQL as a parameter). */
export const AGEING_TIERS = Object.keys(CLIMBS_TO) as Tier[];

/**
 * Ageing: a call still waiting when its tier's SLA has passed a second time (twice the SLA since
 * it was made) climbs one tier, and from then on counts its time in the new tier the same way: a
 * P4 call (14 days) is P3 after 28 days and P2 after 42 (28 + twice 7). P2 and P1 never climb, so
 * nothing reaches P1 by waiting. Why: with strict tiers, under overload P3 and P4 calls waited
 * until retention purged them, unheard and with no warning.
 */
export function agedTier(
  tier: Tier,
  startedAt: Date,
  slaHours: Record<Tier, number>,
  now: Date,
): { tier: Tier; aged: boolean } {
  let current = tier;
  let from = startedAt;
  for (;;) {
    const next = CLIMBS_TO[current];
    if (!next) break;
    const climbsAt = addHours(from, 2 * slaHours[current]);
    if (now.getTime() < climbsAt.getTime()) break;
    current = next;
    from = climbsAt;
  }
  return { tier: current, aged: current !== tier };
}

/** The tier table of DESIGN.md, checked in order; the first tier with a matching rule wins. */
export function assignTier(i: TierInputs): { tier: Tier; reasons: string[] } {
  const p1: string[] = [];
  if (i.contact?.isVictim) p1.push('victim contact');
  if (i.contact?.restriction === 'NO_CONTACT') p1.push('contact under a no-contact restriction');
  if (i.contact?.restriction === 'HARASSMENT_ORDER')
    p1.push('contact protected by a harassment order');
  if (i.prisoner.mappaLevel === 3) p1.push('MAPPA level 3');
  if (i.prisoner.roshLevel === 'VERY_HIGH') p1.push('RoSH very high');
  if (i.hasOpenHighConcernEscalation) p1.push('open high-concern escalation on this prisoner');
  if (liftedByPatternAlert(i)) p1.push(`pattern alert: ${i.openPatternAlertReason}`);
  for (const hit of i.transcriptHits ?? []) p1.push(`transcript: "${hit}"`);
  if (p1.length) return { tier: 'P1', reasons: p1 };

  if (i.covering.length > 0 && i.covering.every((a) => a.type === 'RANDOM')) {
    return { tier: 'P4', reasons: ['random monitoring only'] };
  }

  const p2: string[] = [];
  const notOnList = i.contact === null;
  if (i.prisoner.mappaLevel === 2) p2.push('MAPPA level 2');
  if (i.prisoner.roshLevel === 'HIGH') p2.push('RoSH high');
  if (i.flags.has('CHILD_CONTACT')) {
    if (isChildContact(i.contact)) p2.push('child-contact prisoner calling a child');
    else if (notOnList) p2.push('child-contact prisoner calling a number not on the contact list');
  }
  if (i.contact?.restriction === 'CHILD_CONTACT_RESTRICTED')
    p2.push('contact under a child-contact restriction');
  const abuse =
    i.flags.has('DOMESTIC_ABUSE') || i.flags.has('STALKING') || i.flags.has('HARASSMENT_ORDER');
  if (notOnList && abuse) {
    p2.push(
      'domestic-abuse, stalking or harassment prisoner calling a number not on the contact list',
    );
  }
  // A known partner, victim or not, is who domestic abuse and stalking threaten.
  if (abuse && isPartnerContact(i.contact)) p2.push('partner of a domestic-abuse prisoner');
  if (
    (i.flags.has('NO_CONTACT_REQUEST') || i.flags.has('RISK_TO_KNOWN_ADULT')) &&
    i.contact !== null &&
    i.contact.restriction !== 'NONE'
  ) {
    p2.push('contact under restriction of a no-contact-request or known-adult-risk prisoner');
  }
  if (notOnList && i.flags.has('VICTIM_ENQUIRY'))
    p2.push('victim-enquiry prisoner calling a number not on the contact list');
  if (
    i.prisoner.mappaCategory !== null &&
    i.prisoner.mappaLevel === null &&
    releaseWithinWindow(i.prisoner, i.now)
  ) {
    p2.push('MAPPA level not set within 6 months of release');
  }
  if (i.preReleaseReason) p2.push(i.preReleaseReason);
  if (i.openPatternAlertReason && !liftedByPatternAlert(i)) p2.push('earlier call of a burst');
  if (p2.length) return { tier: 'P2', reasons: p2 };

  return { tier: 'P3', reasons: ['under an active monitoring authorisation'] };
}

/** Hours by which a call is moved ahead of others of its tier, with the reason for each credit. */
export function riskCredit(
  prisoner: PrisonerFacts,
  flags: ReadonlySet<RiskFlag>,
  contact: ContactFacts | null,
): { hours: number; reasons: string[] } {
  const credits: [number, string][] = [];
  if (prisoner.mappaLevel === 3) credits.push([RISK_CREDIT_HOURS.mappaLevel3, 'MAPPA level 3']);
  else if (prisoner.mappaLevel === 2)
    credits.push([RISK_CREDIT_HOURS.mappaLevel2, 'MAPPA level 2']);
  if (prisoner.roshLevel === 'VERY_HIGH')
    credits.push([RISK_CREDIT_HOURS.roshVeryHigh, 'RoSH very high']);
  else if (prisoner.roshLevel === 'HIGH') credits.push([RISK_CREDIT_HOURS.roshHigh, 'RoSH high']);
  if (contact === null)
    credits.push([RISK_CREDIT_HOURS.numberFirstSeen, 'number not on contact list']);
  if (flags.has('CHILD_CONTACT') && isChildContact(contact)) {
    credits.push([
      RISK_CREDIT_HOURS.childContactCallingChild,
      'child contact of a child-contact prisoner',
    ]);
  }
  if ((flags.has('DOMESTIC_ABUSE') || flags.has('STALKING')) && isPartnerContact(contact)) {
    credits.push([
      RISK_CREDIT_HOURS.domesticAbuseCallingPartner,
      'partner contact of a domestic-abuse prisoner',
    ]);
  }
  return {
    hours: credits.reduce((sum, [h]) => sum + h, 0),
    reasons: credits.map(([h, why]) => `${why} (+${h} h)`),
  };
}

/**
 * Training a listener needs to hear this prisoner's calls. A child-contact prisoner (CPC, CPRC,
 * CC1–CC4, RCC, RCS) needs CHILD_SAFEGUARDING: what is said to or about a child must be recognised
 * for what it is, by someone who knows how to act on it (issue 13).
 */
export function requiredTrainings(
  prisoner: Omit<PrisonerFacts, 'keyDates'>,
  flags: ReadonlySet<RiskFlag>,
): Training[] {
  const out: Training[] = [];
  if (prisoner.mappaLevel === 2 || prisoner.mappaLevel === 3 || flags.has('PPRC'))
    out.push('PUBLIC_PROTECTION');
  if (flags.has('DOMESTIC_ABUSE') || flags.has('STALKING')) out.push('DOMESTIC_ABUSE');
  if (flags.has('CHILD_CONTACT')) out.push('CHILD_SAFEGUARDING');
  return out;
}

/** The whole decision for one call, from its facts alone (`now` dates the key dates and ageing). */
export function triageCall(f: TriageFacts, now: Date): TriageDecision {
  if (!f.prisoner) {
    // Ingest only stores calls of known prisoners, and prisoners are never deleted.
    return { status: 'NOT_MONITORED', contactId: null, reasons: ['prisoner not known'] };
  }
  const contact = resolveContact(f.call.dialledNumber, f.contacts);
  const contactId = contact?.id ?? null;

  const privileged = privilegedKindOf(
    contact,
    directoryKindFor(f.call, f.privilegedDirectory) ?? rule39KindOf(f.mailCorrespondentKind),
  );
  if (privileged) {
    return {
      status: 'EXCLUDED_PRIVILEGED',
      contactId,
      privilegedKind: privileged,
      reasons: [
        `privileged communication (${privileged.toLowerCase().replace(/_/g, ' ')}): never queued`,
      ],
    };
  }

  const covering = coveringAuthorisations(f.call, f.authorisations);
  if (covering.length === 0) {
    return {
      status: 'NOT_MONITORED',
      contactId,
      reasons: ['no active monitoring authorisation covers this call'],
    };
  }

  const flags = riskFlagsOf(f.prisoner);
  const keyDate = preRelease(f.prisoner, f.settings, now);
  const tierInputs: TierInputs = {
    now,
    prisoner: f.prisoner,
    flags,
    contact,
    covering,
    hasOpenHighConcernEscalation: f.hasOpenHighConcernEscalation,
    openPatternAlertReason: f.openPatternAlertReason,
    transcriptHits: transcriptHitsOf(f.call, f.settings, f.contacts),
    preReleaseReason: keyDate?.withinWindow ? keyDate.reason : null,
    callsToNumber: f.callsToNumber,
    burstP1Cap: f.settings.burstP1Cap,
  };
  const assigned = assignTier(tierInputs);
  const sla = slaHoursFor(f.call.channel, f.settings);
  const { tier, aged } = agedTier(assigned.tier, f.call.startedAt, sla, now);
  const reasons = aged ? [...assigned.reasons, 'waiting past its time'] : assigned.reasons;
  const credit = riskCredit(f.prisoner, flags, contact);
  const slaDueAt = addHours(f.call.startedAt, sla[tier]);
  const capped = keyDate !== null && keyDate.dueBy.getTime() < slaDueAt.getTime();
  const dueAt = capped ? keyDate.dueBy : slaDueAt;
  // The key date is named once: as the P2 rule, or as the reason the due time is earlier.
  const capReasons = capped && !reasons.includes(keyDate.reason) ? [keyDate.reason] : [];
  // A burst's calls that the alert alone lifts to P1 are heard newest first.
  const burst =
    tier === 'P1' && !capped && reasons.length === 1 && liftedByPatternAlert(tierInputs)
      ? f.callsToNumber
      : null;
  const orderAt = burst ? burstOrderAt(f.call.startedAt, burst, sla.P1) : dueAt;
  const language = f.call.language.toLowerCase();
  const needsTranslation = !languageHeard(language, f.listenerLanguages);
  return {
    status: needsTranslation ? 'AWAITING_TRANSLATION' : 'PENDING',
    contactId,
    tier,
    dueAt,
    effectiveDueAt: addHours(orderAt, -credit.hours),
    reasons: [
      ...reasons,
      ...capReasons,
      ...credit.reasons,
      ...(needsTranslation ? [`language "${language}" spoken by no listener here`] : []),
    ],
    requiredTrainings: requiredTrainings(f.prisoner, flags),
    leadListenerUsername: f.prisoner.leadListenerUsername,
  };
}
