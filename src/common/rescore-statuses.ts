/**
 * Which calls a re-score may move, by status: part of the writers' contract with triage
 * (triage-facts-changed.ts), since a writer that locks a prisoner's waiting calls before emitting
 * TRIAGE_FACTS_CHANGED (translation) must lock the same calls, in the same order, as the re-score.
 */

/** Statuses a re-score may move a call between: never one that is claimed, logged or purged. */
export const RESCORABLE_STATUSES = ['PENDING', 'NOT_MONITORED', 'AWAITING_TRANSLATION'] as const;

/**
 * A claimed call is re-scored to take it from its listener when it may no longer be heard
 * (authorisation ended or expired, number now privileged): listening stops at once. Otherwise it
 * keeps its listener and takes its new tier, due time and reasons.
 */
export const REVOCABLE_STATUSES = ['CLAIMED'] as const;

/**
 * A heard call is re-checked only to take it out of reach when its number turns out privileged
 * (added to the directory, or its contact found to be a legal adviser): never played again.
 */
export const HEARD_STATUSES = ['LOGGED'] as const;

/** What a re-score looks at: every call it may move (`ALL`), or only the waiting ones (`WAITING`). */
export type RescoreScope = 'ALL' | 'WAITING';
