/**
 * A listener's training and when it lapses (issue 13, item 7): what counts for eligibility. Pure, so
 * that the claim statement, the simulator's comparator, the risk flags and the pages agree.
 *
 * A training counts until the day before its `expiresOn` (London date): on the expiry day itself it
 * has lapsed ("expired on 1 February 2028"). One without `expiresOn` never lapses (a plain code, as
 * every training was before they had dates).
 */
import { Training } from '../common/vocabulary';

export interface TrainingRecord {
  code: Training;
  /** YYYY-MM-DD, or null when not recorded. */
  completedOn: string | null;
  /** YYYY-MM-DD: the first day it no longer counts; null when it does not lapse. */
  expiresOn: string | null;
}

/** Whether the training counts on `today` (a London date, YYYY-MM-DD). */
export function trainingCounts(record: Pick<TrainingRecord, 'expiresOn'>, today: string): boolean {
  return record.expiresOn === null || record.expiresOn > today;
}

/** The codes of the trainings that count on `today`, in the order recorded. */
export function currentTrainings(
  records: readonly Pick<TrainingRecord, 'code' | 'expiresOn'>[],
  today: string,
): Training[] {
  return records.filter((r) => trainingCounts(r, today)).map((r) => r.code);
}

/** What is wrong with a record's dates (the field and why), or null. */
export function trainingDatesProblem(
  record: Pick<TrainingRecord, 'completedOn' | 'expiresOn'>,
): { field: 'expiresOn'; message: string } | null {
  if (record.completedOn !== null && record.expiresOn !== null) {
    if (record.expiresOn <= record.completedOn)
      return { field: 'expiresOn', message: 'must be after completedOn' };
  }
  return null;
}

/**
 * SQL for the codes of the trainings of staff row `s` that count on the date `today` (an SQL date
 * expression). The staff row keeps its codes in `trainings` and their expiry dates in the parallel
 * `training_expires_on` (NULL: never lapses; a shorter array, as rows written before trainings had
 * dates, pads with NULL). One row's arrays: no table is read, so the claim stays one cheap statement.
 */
export const currentTrainingsSql = (s: string, today: string) =>
  `ARRAY(SELECT u.code FROM unnest(${s}.trainings, ${s}.training_expires_on) AS u(code, expires_on)
    WHERE u.code IS NOT NULL AND (u.expires_on IS NULL OR u.expires_on > ${today}))`;

/** Today's London date in SQL from the database clock (the claim's lease times use it too). */
export const LONDON_TODAY_SQL = `(now() AT TIME ZONE 'Europe/London')::date`;
