/**
 * Priority policy v1 (DESIGN.md "Priority policy"). Pure functions: everything a decision needs is
 * passed in, nothing is read from the database or the clock here. The rule for a tier lives in this
 * file and nowhere else.
 */
import { deriveRiskFromAlertCodes, RiskFlag } from '../prisoners/alert-codes';
import {
  AuthorisationType,
  Channel,
  Relationship,
  Restriction,
  RoshLevel,
  Tier,
  Training,
} from '../common/vocabulary';
import { addHours, DAY_MS } from '../common/clock';

export interface CallFacts {
  dialledNumber: string;
  startedAt: Date;
  channel: Channel;
  language: string;
}

export interface PrisonerFacts {
  alertCodes: string[];
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  earliestReleaseDate: Date | null;
  leadListenerUsername: string | null;
}

export interface ContactFacts {
  id: string;
  /** The contact's name (transcripts are searched for the names of protected contacts). */
  name?: string;
  relationship: Relationship;
  phoneNumbers: string[];
  isVictim: boolean;
  isChild: boolean;
  restriction: Restriction;
}

export interface AuthorisationFacts {
  type: AuthorisationType;
  channels: Channel[];
  startsAt: Date;
  endsAt: Date | null;
  lookbackDays: number;
}

export interface TriageInputs {
  now: Date;
  call: CallFacts;
  prisoner: PrisonerFacts;
  /** The prisoner's contacts; the call's contact is resolved from these by number. */
  contacts: ContactFacts[];
  /** Kind of privileged-directory entry for the dialled number (national or this establishment). */
  privilegedKind: string | null;
  /** The prisoner's ACTIVE authorisations (any period); coverage of this call is decided here. */
  authorisations: AuthorisationFacts[];
  /** Languages some listener of the establishment speaks (English included). */
  listenerLanguages: ReadonlySet<string>;
  slaHours: Record<Tier, number>;
  hasOpenHighConcernEscalation: boolean;
  /** Reason of an open pattern alert on this prisoner and number, if any. */
  openPatternAlertReason: string | null;
  /** Threat phrases and protected names spotted in the call's transcript (a transcript never replaces listening). */
  transcriptHits?: readonly string[];
}

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

/** The prisoner's contact whose numbers include the dialled number, if any. */
export function resolveContact(
  dialledNumber: string,
  contacts: readonly ContactFacts[],
): ContactFacts | null {
  return contacts.find((c) => c.phoneNumbers.includes(dialledNumber)) ?? null;
}

/** Privileged calls are never queued: a directory number, or a contact recorded as a legal adviser. */
export function privilegedKindOf(
  contact: ContactFacts | null,
  directoryKind: string | null,
): string | null {
  if (directoryKind) return directoryKind;
  if (contact?.relationship === 'LEGAL_ADVISER') return 'LEGAL_ADVISER';
  return null;
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
  if (!prisoner.earliestReleaseDate) return false;
  const days = (prisoner.earliestReleaseDate.getTime() - now.getTime()) / DAY_MS;
  return days >= 0 && days <= RELEASE_WINDOW_DAYS;
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
  if (i.openPatternAlertReason) p1.push(`pattern alert: ${i.openPatternAlertReason}`);
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
  if (
    notOnList &&
    (i.flags.has('DOMESTIC_ABUSE') || i.flags.has('STALKING') || i.flags.has('HARASSMENT_ORDER'))
  ) {
    p2.push(
      'domestic-abuse, stalking or harassment prisoner calling a number not on the contact list',
    );
  }
  if (
    i.prisoner.mappaCategory !== null &&
    i.prisoner.mappaLevel === null &&
    releaseWithinWindow(i.prisoner, i.now)
  ) {
    p2.push('MAPPA level not set within 6 months of release');
  }
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

/** Training a listener needs to hear this prisoner's calls. */
export function requiredTrainings(
  prisoner: PrisonerFacts,
  flags: ReadonlySet<RiskFlag>,
): Training[] {
  const out: Training[] = [];
  if (prisoner.mappaLevel === 2 || prisoner.mappaLevel === 3 || flags.has('PPRC'))
    out.push('PUBLIC_PROTECTION');
  if (flags.has('DOMESTIC_ABUSE') || flags.has('STALKING')) out.push('DOMESTIC_ABUSE');
  return out;
}

/** The whole decision for one call. */
export function triageCall(i: TriageInputs): TriageDecision {
  const contact = resolveContact(i.call.dialledNumber, i.contacts);
  const contactId = contact?.id ?? null;

  const privileged = privilegedKindOf(contact, i.privilegedKind);
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

  const covering = coveringAuthorisations(i.call, i.authorisations);
  if (covering.length === 0) {
    return {
      status: 'NOT_MONITORED',
      contactId,
      reasons: ['no active monitoring authorisation covers this call'],
    };
  }

  const flags = riskFlagsOf(i.prisoner);
  const { tier, reasons } = assignTier({
    now: i.now,
    prisoner: i.prisoner,
    flags,
    contact,
    covering,
    hasOpenHighConcernEscalation: i.hasOpenHighConcernEscalation,
    openPatternAlertReason: i.openPatternAlertReason,
    transcriptHits: i.transcriptHits,
  });
  const credit = riskCredit(i.prisoner, flags, contact);
  const dueAt = addHours(i.call.startedAt, i.slaHours[tier]);
  const language = i.call.language.toLowerCase();
  const needsTranslation = !i.listenerLanguages.has(language);
  return {
    status: needsTranslation ? 'AWAITING_TRANSLATION' : 'PENDING',
    contactId,
    tier,
    dueAt,
    effectiveDueAt: addHours(dueAt, -credit.hours),
    reasons: [
      ...reasons,
      ...credit.reasons,
      ...(needsTranslation ? [`language "${language}" spoken by no listener here`] : []),
    ],
    requiredTrainings: requiredTrainings(i.prisoner, flags),
    leadListenerUsername: i.prisoner.leadListenerUsername,
  };
}
