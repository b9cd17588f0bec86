import type {
  AuthorisationType,
  Channel,
  Relationship,
  Restriction,
  RoshLevel,
  Tier,
} from '../common/vocabulary';
import type { KeyDate } from '../prisoners/key-dates';
import type { TranscriptSegment } from '../transcripts/keyword-spotting';
import { TRIAGE_FACTS, TriageFact } from '../common/triage-facts-changed';
import type { RescoreScope } from '../common/rescore-statuses';

/*
 * Triage inputs in one place: what the priority policy reads about one call (TriageFacts, loaded by
 * TriageRepository.loadTriageFacts and nothing else), and which writes change it (TRIAGE_FACTS).
 * The facts are as stored: every decision taken on them (which directory entry applies, which SLA,
 * which words are spotted, whether the language is heard) is the policy's.
 */

export interface CallFacts {
  dialledNumber: string;
  startedAt: Date;
  channel: Channel;
  language: string;
  /** Establishment the call was made from (its directory entries, settings and listeners apply). */
  establishmentCode: string;
  /** The call's stored transcript, if any. */
  transcript: { segments: readonly TranscriptSegment[] } | null;
}

/** A key date as stored: a calendar day, as midnight UTC. */
export type KeyDateFacts = KeyDate;
export { KEY_DATE_TYPES, type KeyDateType } from '../prisoners/key-dates';

export interface PrisonerFacts {
  alertCodes: string[];
  mappaCategory: number | null;
  mappaLevel: number | null;
  roshLevel: RoshLevel | null;
  earliestReleaseDate: Date | null;
  /** The prisoner's key dates, past and future, as given (without `earliestReleaseDate`). */
  keyDates: KeyDateFacts[];
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

/** An entry of the privileged directory: national (`establishmentCode` null) or one establishment's. */
export interface PrivilegedEntryFacts {
  kind: string;
  establishmentCode: string | null;
}

/** The establishment's settings the policy reads (stored overrides already merged with defaults). */
export interface PolicySettings {
  slaHours: Record<Tier, number>;
  mailSlaHours: Record<Tier, number>;
  /** The establishment's own words and phrases to spot, beside the built-in threat lexicon. */
  keywordLexicon: readonly string[];
  /** Days before a prisoner's next key date within which his calls are at least P2. */
  preReleaseWindowDays: number;
  /** Hours before the next key date by which every call of the prisoner is due. */
  preReleaseMarginHours: number;
  /** Calls of a prisoner to a number, newest first, that an open pattern alert lifts to P1. */
  burstP1Cap: number;
}

/** Where this call stands among all its prisoner's calls to the same number (any status). */
export interface CallsToNumberFacts {
  /** Calls to the number made after this one (by start time, then id): 0 for the newest. */
  newerCalls: number;
  /** When the newest of them was made. */
  newestStartedAt: Date;
}

/**
 * The settings the policy reads, and nothing more: what a settings change is compared on to decide
 * whether the establishment's waiting calls are re-scored.
 */
export function policySettings(s: PolicySettings): PolicySettings {
  return {
    slaHours: s.slaHours,
    mailSlaHours: s.mailSlaHours,
    keywordLexicon: s.keywordLexicon,
    preReleaseWindowDays: s.preReleaseWindowDays,
    preReleaseMarginHours: s.preReleaseMarginHours,
    burstP1Cap: s.burstP1Cap,
  };
}

/** Everything that decides one call's status, tier, due time and eligibility. */
export interface TriageFacts {
  call: CallFacts;
  /** Null when the prisoner is not known. */
  prisoner: PrisonerFacts | null;
  /** The prisoner's contacts; the call's contact is resolved from these by number. */
  contacts: ContactFacts[];
  /** Every directory entry for the dialled number, at any establishment. */
  privilegedDirectory: PrivilegedEntryFacts[];
  /** Correspondent kind of the call's intercepted mail item (a MAIL call), else null. */
  mailCorrespondentKind: string | null;
  /** The prisoner's ACTIVE authorisations (any period); coverage of this call is decided by the policy. */
  authorisations: AuthorisationFacts[];
  settings: PolicySettings;
  /** Languages some listener of the establishment speaks (as stored: English is the policy's). */
  listenerLanguages: ReadonlySet<string>;
  hasOpenHighConcernEscalation: boolean;
  /** Reason of an open pattern alert on this prisoner and number, if any. */
  openPatternAlertReason: string | null;
  /**
   * The call's place among its prisoner's calls to the number. Loaded only where a pattern alert
   * is open on the pair (the only rule that reads it), else null.
   */
  callsToNumber: CallsToNumberFacts | null;
}

// Which writes change these facts, and whose calls they concern, is the writers' contract with
// triage (the TRIAGE_FACTS_CHANGED event), so it lives in src/common.
export {
  TRIAGE_FACT_NAMES,
  TRIAGE_FACTS,
  type AffectedCalls,
  type TriageFact,
} from '../common/triage-facts-changed';

/** The scope a change needs: `WAITING` only when every fact changed only moves tiers. */
export function scopeOf(facts: readonly TriageFact[]): RescoreScope {
  return facts.every((f) => TRIAGE_FACTS[f].scope === 'WAITING') ? 'WAITING' : 'ALL';
}
