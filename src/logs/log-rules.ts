/**
 * The rules a monitoring log must meet beyond field types: inspectors found logs that never said who
 * was called ("conversation with a lady") and concerns that named no theme. Pure; field paths match
 * the request body.
 */
import { FieldError } from '../common/errors';
import { ConcernLevel, Confidence, isHighConcern, Relationship, Theme } from '../common/vocabulary';

export const MIN_SUMMARY_LENGTH = 40;

/** A threat to kill, or one said to be imminent: security must hear of it whatever the concern. */
export function isSeriousThreat(t: { type: string; imminence?: string }): boolean {
  return t.type === 'KILL' || t.imminence === 'IMMEDIATE';
}

/**
 * A log with a serious threat must be logged at HIGH or above (the report's threats to kill logged
 * at MEDIUM never reached security). Null when the log may stand; else why not.
 */
export function seriousThreatConcernProblem(log: {
  concernLevel: ConcernLevel;
  threats: readonly { type: string; imminence?: string }[];
}): string | null {
  if (isHighConcern(log.concernLevel) || !log.threats.some(isSeriousThreat)) return null;
  return `a threat to kill or a threat marked imminent must be logged at HIGH or IMMEDIATE, not ${log.concernLevel}`;
}

export interface LogDraft {
  contact: { contactId?: string | null; relationship?: Relationship; confidence: Confidence };
  themes: { code: Theme }[];
  threats: { target: string; type: string; imminence?: string }[];
  concernLevel: ConcernLevel;
  summary: string;
}

export function checkLogRules(log: LogDraft): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });

  const { contactId, relationship, confidence } = log.contact;
  const known = typeof contactId === 'string';
  if (!known && !relationship) {
    add(
      'contact.relationship',
      'say who was called: choose a known contact or give the relationship',
    );
  }
  if (relationship === 'UNKNOWN' && confidence !== 'UNIDENTIFIED') {
    add(
      'contact.confidence',
      'a relationship of UNKNOWN is only allowed with confidence UNIDENTIFIED',
    );
  }
  if (confidence === 'UNIDENTIFIED' && known) {
    add('contact.confidence', 'a known contact is not unidentified: choose CONFIRMED or PROBABLE');
  }

  const codes = log.themes.map((t) => t.code);
  if (codes.length === 0)
    add('themes', 'choose at least one theme (NO_CONCERNS if nothing of concern was heard)');
  codes.forEach((code, i) => {
    if (codes.indexOf(code) !== i) add(`themes[${i}].code`, `${code} is listed twice`);
  });
  if (codes.includes('NO_CONCERNS')) {
    if (codes.length > 1) add('themes', 'NO_CONCERNS cannot be combined with other themes');
    if (log.threats.length > 0) add('threats', 'a log with NO_CONCERNS cannot record threats');
  }
  if (isHighConcern(log.concernLevel) && !codes.some((c) => c !== 'NO_CONCERNS')) {
    add(
      'themes',
      `a ${log.concernLevel} concern needs at least one theme saying what the concern is`,
    );
  }

  // A threat to kill or an imminent threat reaches security in an hour: it may not be logged low.
  const serious = seriousThreatConcernProblem(log);
  if (serious) add('concernLevel', serious);

  log.threats.forEach((t, i) => {
    if (!t.target?.trim()) add(`threats[${i}].target`, 'say who is threatened');
    if (!t.type) add(`threats[${i}].type`, 'say what kind of threat');
  });

  if (typeof log.summary !== 'string' || log.summary.trim().length < MIN_SUMMARY_LENGTH) {
    add(
      'summary',
      `must be at least ${MIN_SUMMARY_LENGTH} characters: who was spoken to, what was said and why it matters`,
    );
  }
  return errors;
}
