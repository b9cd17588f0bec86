import { MAX_YEAR, MIN_YEAR } from '../../common/input-rules';
import { fromLondonWallClock } from '../london-time';
import { text } from './values';

/** A GOV.UK date input as typed (`name-day`, `name-month`, `name-year`). */
export interface DateValues {
  day: string;
  month: string;
  year: string;
}

export const emptyDate = (): DateValues => ({ day: '', month: '', year: '' });

export const readDate = (body: Record<string, unknown>, name: string): DateValues => ({
  day: text(body[`${name}-day`]).trim(),
  month: text(body[`${name}-month`]).trim(),
  year: text(body[`${name}-year`]).trim(),
});

/** govukDateInput's items for the date as typed, marked when the date has an error. */
export const dateItems = (name: string, v: DateValues, error: boolean) => [
  { name: 'day', id: `${name}-day`, value: v.day, classes: dateClass(2, error) },
  { name: 'month', id: `${name}-month`, value: v.month, classes: dateClass(2, error) },
  { name: 'year', id: `${name}-year`, value: v.year, classes: dateClass(4, error) },
];
const dateClass = (width: number, error: boolean) =>
  `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`;

/**
 * The typed date as the start (or end) of that day in London; undefined if left blank, an error
 * message if not a real date.
 */
export function parseDate(
  v: DateValues,
  label: string,
  endOfDay = false,
): { date?: Date; error?: string } {
  if (!v.day && !v.month && !v.year) return {};
  if (!v.day || !v.month || !v.year)
    return { error: `${label} must include a day, month and year` };
  const [d, m, y] = [v.day, v.month, v.year].map(Number);
  const real =
    [v.day, v.month, v.year].every((s) => /^\d+$/.test(s)) &&
    v.year.length === 4 &&
    y >= MIN_YEAR &&
    y <= MAX_YEAR &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!real) return { error: `${label} must be a real date` };
  return {
    date: endOfDay ? fromLondonWallClock(y, m, d, 23, 59, 59) : fromLondonWallClock(y, m, d),
  };
}

/**
 * The London wall-clock time as an instant (a form's date and time are London time): null when
 * the parts do not make a real date and time.
 */
export function londonTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date | null {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(guess);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  ) {
    return null;
  }
  return fromLondonWallClock(year, month, day, hour, minute);
}

/**
 * A GOV.UK date input and a time typed like 14:30 (or 14.30), as the London instant they name; an
 * error message for the form when either is missing or not real. `label` names the date ("The date
 * sent"), `what` the act for the message ("sent": "Enter the date and the time it was sent").
 */
export function parseDateAndTime(
  date: DateValues,
  time: string,
  label: string,
  what: string,
): { at: Date | null; error?: string } {
  const day = parseDate(date, label);
  const hm = /^(\d{1,2})[:.](\d{2})$/.exec(time);
  const at =
    !day.error && day.date && hm
      ? londonTime(
          Number(date.year),
          Number(date.month),
          Number(date.day),
          Number(hm[1]),
          Number(hm[2]),
        )
      : null;
  if (at) return { at };
  return { at: null, error: day.error ?? `Enter the date and the time it was ${what}, like 14:30` };
}

/**
 * The typed date as a calendar day (YYYY-MM-DD, as the API takes days); undefined if left blank, an
 * error message if not a real date.
 */
export function parseDay(v: DateValues, label: string): { day?: string; error?: string } {
  const { date, error } = parseDate(v, label);
  if (error) return { error };
  if (!date) return {};
  const pad = (s: string, n: number) => s.padStart(n, '0');
  return {
    day: `${pad(v.year, 4)}-${pad(String(Number(v.month)), 2)}-${pad(String(Number(v.day)), 2)}`,
  };
}

/** A calendar day (YYYY-MM-DD) as a date input's values; blank for null. */
export function dayValues(day: string | null): DateValues {
  if (!day) return emptyDate();
  const [year, month, d] = day.split('-');
  return { day: String(Number(d)), month: String(Number(month)), year };
}
