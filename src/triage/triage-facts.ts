import type {
  AuthorisationType,
  Channel,
  Relationship,
  Restriction,
  RoshLevel,
  Tier,
} from '../common/vocabulary';
import type { TranscriptSegment } from '../transcripts/keyword-spotting';
import type { RescoreScope } from './rescore-statuses';

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

/** Kinds of key date a prisoner may have: release, release on temporary licence, HDC, parole hearing. */
export const KEY_DATE_TYPES = ['RELEASE', 'ROTL', 'HDC', 'PAROLE_HEARING'] as const;
export type KeyDateType = (typeof KEY_DATE_TYPES)[number];

/** A key date as stored: a calendar day, as midnight UTC. */
export interface KeyDateFacts {
  type: KeyDateType;
  date: Date;
}

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

/**
 * Every fact the priority policy reads (TriageFacts, loaded by TriageRepository.loadTriageFacts) that a
 * write can change after a call was triaged, and the writes that change it. A write that changes one
 * calls `TriageService.triageFactsChanged` in its own transaction, naming the fact; that is the only
 * way to re-score. test/e2e/triage-facts.e2e-spec.ts changes each fact listed here through the API
 * and fails for a fact without a case: add the case with the fact.
 *
 * `scope` is what a change of the fact may do to calls: `ALL` when it may make a call unhearable (no
 * authorisation covers it, or it is privileged), so claimed and heard calls are re-checked too;
 * `WAITING` when it only moves tiers and due times, so only waiting calls are locked and re-scored.
 *
 * Not listed: the clock (a release or key date coming within its window is seen at the next
 * re-score; a call waiting past twice its SLA is re-scored by TriageService.rescoreAgedCalls) and a
 * mail item's correspondent kind (`mailCorrespondentKind`, fixed at ingest, before
 * triage).
 */
export const TRIAGE_FACTS = {
  /** Prisoner's alert codes (risk flags): PUT /prisoners/:prisonNumber. */
  ALERT_CODES: { scope: 'ALL' },
  /** MAPPA category and level: PUT /prisoners/:prisonNumber; a MAPPA escalation closed with its review. */
  MAPPA: { scope: 'ALL' },
  /** RoSH level: PUT /prisoners/:prisonNumber. */
  ROSH: { scope: 'ALL' },
  /** Earliest release date (MAPPA level not set near release): PUT /prisoners/:prisonNumber. */
  RELEASE_DATE: { scope: 'ALL' },
  /**
   * Key dates (release, ROTL, HDC, parole hearing; pre-release window and due-time cap): PUT
   * /prisoners/:prisonNumber.
   */
  KEY_DATES: { scope: 'ALL' },
  /** Lead listener written on the call: PUT /prisoners/:prisonNumber. */
  LEAD_LISTENER: { scope: 'ALL' },
  /**
   * The prisoner's contacts (victim, child, restriction, relationship, numbers): POST
   * /prisoners/:prisonNumber/contacts, PATCH /contacts/:id, and a log that identifies or corrects
   * the number's contact (POST /calls/:id/log).
   */
  CONTACTS: { scope: 'ALL' },
  /** The privileged directory: POST /privileged-numbers (calls to that number, at its establishment). */
  PRIVILEGED_NUMBERS: { scope: 'ALL' },
  /**
   * ACTIVE monitoring authorisations: POST /monitoring-authorisations/:id/approve, /review, /end,
   * and the worker's expiry job (MonitoringService.expireDue).
   */
  AUTHORISATIONS: { scope: 'ALL' },
  /** Languages the establishment's listeners speak: PUT /staff/:username (a listener). */
  LISTENER_LANGUAGES: { scope: 'ALL' },
  /**
   * The establishment's settings the policy reads (PolicySettings: SLA hours, phone and mail, the
   * keyword lexicon, the pre-release window and margin, the burst cap): PUT
   * /establishments/:code/settings.
   */
  SETTINGS: { scope: 'ALL' },
  /**
   * An open escalation of high concern (HIGH_CONCERN_LEVELS): a log or amendment at that level
   * (POST /calls/:id/log, POST /logs/:id/amend), POST /prisoners/:prisonNumber/escalations, and
   * closing one (POST /escalations/:id/close, an IRMM meeting).
   */
  HIGH_CONCERN: { scope: 'WAITING' },
  /**
   * A live pattern alert, and with it the call's place among the prisoner's calls to that number
   * (callsToNumber: which calls are the newest burstP1Cap): the worker's detection after a batch
   * (which raises or updates the alert as calls to the number arrive), POST
   * /pattern-alerts/:id/dismiss.
   */
  PATTERN_ALERTS: { scope: 'WAITING' },
  /** The call's transcript (threat phrases, protected names): PUT /calls/:id/transcript. */
  TRANSCRIPT: { scope: 'ALL' },
  /** The call's language (translated calls become English): POST /translation-requests/:id/complete. */
  CALL_LANGUAGE: { scope: 'ALL' },
} as const satisfies Record<string, { scope: RescoreScope }>;

export type TriageFact = keyof typeof TRIAGE_FACTS;

export const TRIAGE_FACT_NAMES = Object.keys(TRIAGE_FACTS) as TriageFact[];

/** Whose waiting calls a change of facts concerns. */
export type AffectedCalls =
  /** These prisoners' calls. */
  | { prisonNumbers: readonly string[] }
  /**
   * One prisoner's calls to these numbers: a change to one of his contacts that concerns only the
   * calls to its numbers (a listener's identification: relationship, child, a number added; not the
   * contact's protection, which puts its name in every transcript's spotting, nor its name).
   */
  | { prisonNumber: string; dialledNumbers: readonly string[] }
  /** Calls to a number, at one establishment or (null) everywhere: the directory changed. */
  | { dialledNumber: string; establishment: string | null }
  /** Every waiting call of an establishment: its settings changed. */
  | { waitingAt: string }
  /** Waiting calls in a language other than English at these establishments: listeners changed. */
  | { otherLanguagesAt: readonly string[] };

/** The scope a change needs: `WAITING` only when every fact changed only moves tiers. */
export function scopeOf(facts: readonly TriageFact[]): RescoreScope {
  return facts.every((f) => TRIAGE_FACTS[f].scope === 'WAITING') ? 'WAITING' : 'ALL';
}
