/**
 * The Plan staffing form (flat urlencoded names, as the other forms): the period, rows of shifts,
 * the policies and the handling time, read into the body of POST /api/simulations, and the API's
 * field errors put back on the inputs they belong to. Pure.
 */
import { FieldError } from '../../common/errors';
import { TRAININGS } from '../../common/vocabulary';
import { POLICY_KINDS, WEEKDAYS } from '../../simulation/model';
import { DateValues, list, readDate, text } from '../forms';

/** Rows the form shows at first; "Add a row" posts back with one more, up to MAX_ROWS. */
export const INITIAL_ROWS = 2;
export const MAX_ROWS = 12;

export interface RowValues {
  listeners: string;
  days: string[];
  start: string;
  end: string;
  trainings: string[];
  languages: string;
}

export interface PlanValues {
  from: DateValues;
  to: DateValues;
  rows: RowValues[];
  policies: string[];
  handling: string;
  meanMinutes: string;
  sdMinutes: string;
}

export const emptyRow = (): RowValues => ({
  listeners: '',
  days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
  start: '08:00',
  end: '16:00',
  trainings: [...TRAININGS],
  languages: '',
});

const dateValues = (day: string): DateValues => ({
  day: String(Number(day.slice(8, 10))),
  month: String(Number(day.slice(5, 7))),
  year: day.slice(0, 4),
});

/** The form at first: the last full London month before `today` (YYYY-MM-DD), every policy. */
export function initialValues(today: string): PlanValues {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
  const last = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
  return {
    from: dateValues(first),
    to: dateValues(last),
    rows: Array.from({ length: INITIAL_ROWS }, emptyRow),
    policies: [...POLICY_KINDS],
    handling: 'OBSERVED',
    meanMinutes: '',
    sdMinutes: '',
  };
}

export function readPlan(body: Record<string, unknown>): PlanValues {
  const count = Math.min(MAX_ROWS, Math.max(1, Number(text(body.rows)) || INITIAL_ROWS));
  return {
    from: readDate(body, 'from'),
    to: readDate(body, 'to'),
    rows: Array.from({ length: count }, (_, i) => ({
      listeners: text(body[`row-${i}-listeners`]).trim(),
      days: list(body[`row-${i}-days`]),
      start: text(body[`row-${i}-start`]).trim(),
      end: text(body[`row-${i}-end`]).trim(),
      trainings: list(body[`row-${i}-trainings`]),
      languages: text(body[`row-${i}-languages`]).trim(),
    })),
    policies: list(body.policies),
    handling: text(body.handling) || 'OBSERVED',
    meanMinutes: text(body.meanMinutes).trim(),
    sdMinutes: text(body.sdMinutes).trim(),
  };
}

const numberOrText = (s: string) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : s);
const isoDay = (d: DateValues) =>
  /^\d{4}$/.test(d.year) && /^\d{1,2}$/.test(d.month) && /^\d{1,2}$/.test(d.day)
    ? `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`
    : `${d.year}-${d.month}-${d.day}`;

export interface PlanRequest {
  /** The request body, for the API's DTO. */
  body: Record<string, unknown>;
  /** The form row of each staffing row of the body (rows left blank are not sent). */
  rowOf: number[];
  /** What the form itself refuses before the API sees it. */
  errors: FieldError[];
}

/** The form as the API's request body; a row with no listeners given is left out. */
export function planRequest(establishment: string, v: PlanValues): PlanRequest {
  const errors: FieldError[] = [];
  const rowOf: number[] = [];
  const staffing = v.rows.flatMap((r, i) => {
    if (!r.listeners) return [];
    rowOf.push(i);
    return [
      {
        listeners: numberOrText(r.listeners),
        days: r.days,
        start: r.start,
        end: r.end,
        trainings: r.trainings,
        languages: r.languages
          .split(/[\s,]+/)
          .map((l) => l.toLowerCase())
          .filter(Boolean),
      },
    ];
  });
  if (staffing.length === 0)
    errors.push({
      field: 'row-0-listeners',
      message: 'Enter the number of listeners of at least one row',
    });
  if (v.policies.length === 0)
    errors.push({ field: 'policies', message: 'Select at least one policy to compare' });
  if (!v.from.day && !v.from.month && !v.from.year)
    errors.push({ field: 'from-day', message: 'Enter the first day of the period' });
  if (!v.to.day && !v.to.month && !v.to.year)
    errors.push({ field: 'to-day', message: 'Enter the last day of the period' });
  return {
    body: {
      establishment,
      source: { kind: 'HISTORY', from: isoDay(v.from), to: isoDay(v.to) },
      staffing,
      handling:
        v.handling === 'FIXED'
          ? {
              kind: 'FIXED',
              meanMinutes: numberOrText(v.meanMinutes),
              sdMinutes: numberOrText(v.sdMinutes || '0'),
            }
          : { kind: 'OBSERVED' },
      policies: v.policies,
    },
    rowOf,
    errors,
  };
}

const ROW_FIELD = /^staffing\[(\d+)\]\.(listeners|days|start|end|trainings|languages)/;

/** The input an API field error belongs to (`staffing[1].end` → the end time of that form row). */
export function inputOf(field: string, rowOf: readonly number[]): string {
  const row = ROW_FIELD.exec(field);
  if (row) return `row-${rowOf[Number(row[1])] ?? 0}-${row[2]}`;
  if (field === 'staffing') return 'row-0-listeners';
  if (field.startsWith('source.from')) return 'from-day';
  if (field.startsWith('source')) return 'to-day';
  if (field.startsWith('handling.meanMinutes')) return 'meanMinutes';
  if (field.startsWith('handling.sdMinutes')) return 'sdMinutes';
  if (field.startsWith('handling')) return 'handling';
  if (field.startsWith('policies')) return 'policies';
  return field;
}

const WORDS: Record<string, string> = {
  listeners: 'Number of listeners must be a whole number from 1 to 500',
  days: 'Select at least one day of the week',
  start: 'Start must be a time on the 24-hour clock, for example 08:00',
  end: 'End must be a time on the 24-hour clock, after the start, for example 16:00',
  languages: 'Languages must be two-letter codes, for example pl, ur',
  meanMinutes: 'Mean minutes a call must be a number from 1 to 240',
  sdMinutes: 'Spread in minutes must be a number from 0 to 240',
};

/** The GOV.UK message for an input's error, or the API's own words with the field named. */
export function wordingOf(input: string, raw: string): string {
  const key = input.replace(/^row-\d+-/, '');
  if (key === 'from-day' || key === 'to-day') {
    if (/at most/.test(raw))
      return `The period must be at most ${raw.replace(/\D+(\d+)[\s\S]*/, '$1')} days`;
    if (/before from/.test(raw)) return 'The last day must be the same as or after the first day';
    if (/calendar|date/.test(raw))
      return `${key === 'from-day' ? 'First' : 'Last'} day must be a real date`;
  }
  if (key === 'end' && /after start/.test(raw)) return 'End must be after the start';
  return WORDS[key] ?? raw;
}

export { WEEKDAYS };
