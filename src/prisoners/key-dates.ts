import { DAY_MS } from '../common/clock';

/** Kinds of key date a prisoner may have: release, release on temporary licence, HDC, parole hearing. */
export const KEY_DATE_TYPES = ['RELEASE', 'ROTL', 'HDC', 'PAROLE_HEARING'] as const;
export type KeyDateType = (typeof KEY_DATE_TYPES)[number];

/** A key date as stored: a calendar day, as midnight UTC. */
export interface KeyDate {
  type: KeyDateType;
  date: Date;
}

/** Whole calendar days from the day of `now` (UTC) to a key date: 0 on the day itself. */
export function daysUntil(date: Date, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.floor((date.getTime() - today) / DAY_MS);
}

/** The earliest key date from today on (a date already passed is not next), else null. */
export function nextKeyDate<K extends KeyDate>(keyDates: readonly K[], now: Date): K | null {
  let next: K | null = null;
  for (const k of keyDates) {
    if (daysUntil(k.date, now) < 0) continue;
    if (next === null || k.date.getTime() < next.date.getTime()) next = k;
  }
  return next;
}
