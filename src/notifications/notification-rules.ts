import { EscalationTarget } from '../common/vocabulary';

/**
 * The rules of the outbox, pure so that a unit spec pins them: who an escalation's email goes to,
 * what it may say (never anything heard: the kind of thing, the prisoner number and a link), how
 * long a failed send waits before the next try, and which of Notify's answers are worth retrying.
 */

/** First retry after 30 s, doubling each time, never more than an hour apart. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 3_600_000;
/** About ten hours of tries (30 s … 1 h apart); then the row is FAILED with the last error. */
export const MAX_ATTEMPTS = 15;
/** How long a claimed row is the claiming sender's; well past the Notify request timeout. */
export const LEASE_MS = 120_000;
/** Notify's request timeout: a send that takes longer counts as a network error (retried). */
export const NOTIFY_TIMEOUT_MS = 20_000;
/** The daily digest is written from this hour of the London day on (07:00). */
export const DIGEST_HOUR_LONDON = 7;

/** Escalations whose email goes to the duty security contact, and always at once. */
export const DUTY_TARGETS: readonly EscalationTarget[] = ['SECURITY', 'SAFER_CUSTODY'];

/** When the next try of a row that has been tried `attempts` times is due. */
export function nextAttemptAt(now: Date, attempts: number): Date {
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return new Date(now.getTime() + delay);
}

/** What to do after Notify (or the network) refused a send. */
export type SendOutcome = 'RETRY' | 'FAIL';

/**
 * Notify's documented answers: 400 (BadRequestError, ValidationError: a bad address, template or
 * personalisation) and 403 (AuthError: a bad key) will not change by retrying; 429 (RateLimitError,
 * TooManyRequestsError) and 5xx (Exception) will, and so will no answer at all.
 */
export function outcomeOf(status: number | null): SendOutcome {
  if (status === null) return 'RETRY';
  if (status === 429 || status >= 500) return 'RETRY';
  return 'FAIL';
}

const TARGET_WORDS: Record<EscalationTarget, string> = {
  POM: 'a POM escalation',
  COM: 'an escalation to share with the community offender manager',
  SECURITY: 'a security escalation',
  SAFER_CUSTODY: 'a safer custody escalation',
  IRMM: 'an IRMM item',
  MAPPA: 'a MAPPA level review',
};

/**
 * The personalisation of an escalation's email: what kind of thing needs the recipient, when, the
 * prisoner number and a link. Nothing from the log (no reason, theme, quote or summary).
 */
export function escalationPersonalisation(e: {
  escalationId: string;
  target: EscalationTarget;
  prisonNumber: string;
  reopened: boolean;
  dueAt: Date | null;
  workbenchUrl: string;
}): Record<string, string> {
  return {
    kind: e.reopened ? 'reopened' : 'new',
    target: TARGET_WORDS[e.target],
    prison_number: e.prisonNumber,
    due: e.dueAt ? londonTime(e.dueAt) : 'now',
    link: `${e.workbenchUrl.replace(/\/+$/, '')}/escalations/${e.escalationId}`,
  };
}

/** "3 December 2026 at 04:00" in London time. */
export function londonTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')}`;
}

/** The hour (0–23) of the London day. */
export function londonHour(at: Date): number {
  return (
    Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        hour12: false,
      }).format(at),
    ) % 24
  );
}
