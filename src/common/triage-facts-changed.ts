/*
 * The writers' side of re-scoring: which facts the priority policy reads can be changed by a write
 * (TRIAGE_FACTS), and whose calls a change concerns (AffectedCalls). A write names them in a
 * TRIAGE_FACTS_CHANGED event (domain-events.ts) and triage re-scores; the writer needs nothing of
 * triage, so the modules triage reads (prisoners, establishments, transcripts, …) can trigger it
 * without depending on it.
 */

import type { RescoreScope } from './rescore-statuses';

/**
 * Every fact the priority policy reads (TriageFacts, loaded by TriageRepository.loadTriageFacts)
 * that a write can change after a call was triaged, and the writes that change it. A write that
 * changes one emits TRIAGE_FACTS_CHANGED (DomainEvents) in its own transaction, naming the fact and
 * whose calls it concerns; triage handles it, and that is the only way to re-score.
 * test/e2e/triage-facts.e2e-spec.ts changes each fact listed here through the API and fails for a
 * fact without a case: add the case with the fact.
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
