/** The staffing plan as simulated listeners, each with the shifts they work in the period. */
import { DAY_MS } from '../common/clock';
import { StaffingRow, WEEKDAYS } from './model';
import { ClaimingListener } from './claim-order';

export interface Shift {
  start: number;
  end: number;
}

export interface SimulatedListener extends ClaimingListener {
  /** Their shifts in the period, in order, none overlapping (epoch milliseconds). */
  shifts: Shift[];
}

/** A staffing plan mistake, named by its field (`staffing[0].end`). */
export class StaffingError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes after midnight of "HH:MM". */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The first mistake in the plan, or null: times, a shift that ends before it starts, no listeners. */
export function staffingError(staffing: readonly StaffingRow[]): StaffingError | null {
  if (staffing.length === 0) return new StaffingError('staffing', 'must have at least one row');
  for (const [i, row] of staffing.entries()) {
    const at = `staffing[${i}]`;
    if (!Number.isInteger(row.listeners) || row.listeners < 1)
      return new StaffingError(`${at}.listeners`, 'must be a whole number, at least 1');
    if (row.days.length === 0 || row.days.some((d) => !WEEKDAYS.includes(d)))
      return new StaffingError(`${at}.days`, 'must name at least one day, MON to SUN');
    if (!HH_MM.test(row.start)) return new StaffingError(`${at}.start`, 'must be HH:MM');
    if (!HH_MM.test(row.end)) return new StaffingError(`${at}.end`, 'must be HH:MM');
    if (minutesOf(row.end) <= minutesOf(row.start))
      return new StaffingError(`${at}.end`, 'must be after start');
  }
  return null;
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** London's clock at an instant, read as if it were UTC (so the difference is the offset). */
function londonWallClock(at: number): number {
  const p = Object.fromEntries(LONDON_PARTS.formatToParts(at).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
}

/** The instant a London clock shows `minutes` after midnight of the date (a UTC midnight). */
export function londonInstant(dateUtcMidnight: number, minutes: number): number {
  const wall = dateUtcMidnight + minutes * 60_000;
  let at = wall - (londonWallClock(wall) - wall);
  // Near a change of the clocks the first guess used the other side's offset.
  at = wall - (londonWallClock(at) - at);
  return at;
}

/**
 * Every listener of the plan with their shifts in [from, to) (clipped to it); a row of 3 listeners
 * is 3 people with the same shifts. Weekdays are London's; bank holidays are worked like any day.
 */
export function listenersOf(
  staffing: readonly StaffingRow[],
  from: Date,
  to: Date,
  allEstablishments: readonly string[],
): SimulatedListener[] {
  const invalid = staffingError(staffing);
  if (invalid) throw invalid;
  const start = from.getTime();
  const end = to.getTime();
  const firstDay = Math.floor(londonWallClock(start) / DAY_MS) * DAY_MS;
  const out: SimulatedListener[] = [];
  staffing.forEach((row, r) => {
    const shifts: Shift[] = [];
    for (let day = firstDay; day < end + DAY_MS; day += DAY_MS) {
      if (!row.days.includes(WEEKDAYS[new Date(day).getUTCDay()])) continue;
      const s = Math.max(start, londonInstant(day, minutesOf(row.start)));
      const e = Math.min(end, londonInstant(day, minutesOf(row.end)));
      if (e > s) shifts.push({ start: s, end: e });
    }
    for (let n = 0; n < row.listeners; n += 1) {
      out.push({
        username: `plan-${r}-${n}`,
        establishments: row.establishments ?? allEstablishments,
        trainings: row.trainings,
        languages: row.languages.map((l) => l.toLowerCase()),
        shifts: shifts.map((x) => ({ ...x })),
      });
    }
  });
  return out;
}
