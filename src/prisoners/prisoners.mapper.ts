import { KeyDateType, nextKeyDate } from './key-dates';
import { KeyDateRow } from './prisoners.repository';

export interface KeyDateResponse {
  type: KeyDateType;
  /** A calendar day, `YYYY-MM-DD`. */
  date: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The prisoner's key dates as given, and the next one from today on as the priority policy sees it
 * (`earliestReleaseDate` counted as a release date), or null.
 */
export function toKeyDatesResponse(
  keyDates: readonly KeyDateRow[],
  earliestReleaseDate: string | null,
  now: Date,
): { keyDates: KeyDateResponse[]; nextKeyDate: KeyDateResponse | null } {
  const asFacts = keyDates.map((k) => ({ type: k.type, date: new Date(`${k.date}T00:00:00Z`) }));
  if (earliestReleaseDate)
    asFacts.push({ type: 'RELEASE', date: new Date(`${earliestReleaseDate}T00:00:00Z`) });
  const next = nextKeyDate(asFacts, now);
  return {
    keyDates: keyDates.map((k) => ({ type: k.type, date: k.date })),
    nextKeyDate: next ? { type: next.type, date: day(next.date) } : null,
  };
}
