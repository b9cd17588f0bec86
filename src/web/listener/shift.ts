import { fromLondonWallClock, londonOffsetMs } from '../london-time';

/** The listening rota's two shifts, by London's clocks: the day from 07:00, the night from 19:00. */
export const SHIFT_STARTS = [7, 19] as const;

/**
 * When the shift running at `now` began: 07:00 or 19:00 London time, today or (before 07:00) the
 * evening before. My work counts the listener's logs since then as "logged this shift".
 */
export function shiftStart(now: Date): Date {
  // London's wall clock at `now`, read as if it were UTC.
  const wall = new Date(now.getTime() + londonOffsetMs(now));
  const [day, night] = SHIFT_STARTS;
  const hour = wall.getUTCHours();
  const y = wall.getUTCFullYear();
  const m = wall.getUTCMonth() + 1;
  const d = wall.getUTCDate();
  if (hour >= night) return fromLondonWallClock(y, m, d, night);
  if (hour >= day) return fromLondonWallClock(y, m, d, day);
  const yesterday = new Date(Date.UTC(y, m - 1, d - 1));
  return fromLondonWallClock(
    yesterday.getUTCFullYear(),
    yesterday.getUTCMonth() + 1,
    yesterday.getUTCDate(),
    night,
  );
}
