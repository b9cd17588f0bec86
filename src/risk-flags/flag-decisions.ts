import { createHash } from 'node:crypto';
import { RiskFlagType } from './risk-flag-rules';

/**
 * Decisions on risk flags (issue 14): what "its facts change" means. Each flag carries a fingerprint
 * of the facts behind it; a decision records the fingerprints of the flags it covered, and hides a
 * flag only while the flag's fingerprint is still the one decided on and the review date has not come.
 *
 * The facts are the flag's detail text, except where the text moves by itself from day to day
 * ("release in 45 days", "3 days overdue") without anything having changed; for those the service
 * passes the stable facts instead:
 * - MAPPA_LEVEL_NOT_SET_PRE_RELEASE: the MAPPA category and the release date;
 * - MAPPA_L1_REVIEW_OVERDUE: the date of the last review;
 * - MONITORING_REVIEW_OVERDUE: the review due date and the channels (subject: the authorisation);
 * - MONITORING_EXPIRED: the authorisation and its end date (new unheard calls alone do not count);
 * - MONITORING_DECISION_OVERDUE: the due date (subject: the decision).
 * For every other type, any change to the detail (a new pattern alert, another unheard call nearing
 * purge, a new alert code or RoSH level) brings the flag back.
 */
export function flagFingerprint(type: RiskFlagType, subject: string, facts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([type, subject, facts]))
    .digest('hex')
    .slice(0, 32);
}

export const FLAG_DECISIONS = ['ACTIONED', 'ACCEPTED_RISK'] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];

export interface DecidedFlag {
  subject: string;
  fingerprint: string | null;
}

/** Whether a decision covering `covered` still hides this flag (the review date checked by SQL). */
export function decisionCovers(covered: readonly DecidedFlag[], flag: DecidedFlag): boolean {
  return covered.some((c) => c.subject === flag.subject && c.fingerprint === flag.fingerprint);
}
