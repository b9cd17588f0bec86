/**
 * From a request (simulation.dto.ts) to what the engine is given: the period, the staffing rows,
 * the handling model and the policy runs. Pure; the service loads the calls and settings.
 */
import { DAY_MS } from '../common/clock';
import { FieldError } from '../common/errors';
import { EstablishmentSettings, effectiveRetentionDays } from '../establishments/settings';
import { HandlingModel, PolicyRun, SimulationSettings, StaffingRow, WEEKDAYS } from './model';
import { londonInstant, staffingError } from './shifts';
import {
  HandlingDto,
  MAX_PERIOD_DAYS,
  SimulationRequestDto,
  SimulationSettingsDto,
} from './simulation.dto';

/** The most listeners one plan may have (one prison's: the national plan has about 1,300). */
export const MAX_PLAN_LISTENERS = 1000;
/** Fewer logged handling times than this and OBSERVED falls back to FIXED. */
export const MIN_OBSERVED_HANDLING = 30;
/** The fallback: the forecast's handling time without logs (DEFAULT_HANDLING_MINUTES), with a spread. */
export const FALLBACK_HANDLING = { meanMinutes: 10, sdMinutes: 4 } as const;

export interface Period {
  from: Date;
  to: Date;
  days: number;
}

/** A mistake in a request the DTO cannot see (it spans fields): named like the DTO's errors. */
export class RequestError extends RangeError {
  constructor(readonly error: FieldError) {
    super(`${error.field}: ${error.message}`);
  }
}

const fail = (field: string, message: string) => new RequestError({ field, message });

/** `YYYY-MM-DD` as midnight UTC of that calendar day, or null when it is no such day. */
function calendarDay(day: string): number | null {
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === day ? at : null;
}

/** A HISTORY period: London days `from` to `to`, both included, at most MAX_PERIOD_DAYS. */
export function historyPeriod(from: string, to: string): Period {
  const first = calendarDay(from);
  if (first === null) throw fail('source.from', 'is not a day of the calendar');
  const last = calendarDay(to);
  if (last === null) throw fail('source.to', 'is not a day of the calendar');
  if (last < first) throw fail('source.to', 'must not be before from');
  const days = Math.round((last - first) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS)
    throw fail('source.to', `the period may be at most ${MAX_PERIOD_DAYS} days (it is ${days})`);
  return {
    from: new Date(londonInstant(first, 0)),
    to: new Date(londonInstant(last + DAY_MS, 0)),
    days,
  };
}

/** A SYNTHETIC period: the `days` London days before the one `now` falls on. */
export function syntheticPeriod(now: Date, days: number): Period {
  const today = Date.parse(`${londonDate(now)}T00:00:00Z`);
  return {
    from: new Date(londonInstant(today - days * DAY_MS, 0)),
    to: new Date(londonInstant(today, 0)),
    days,
  };
}

function londonDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The staffing plan as the engine takes it; a row that ends before it starts is refused by name. */
export function staffingOf(request: SimulationRequestDto): StaffingRow[] {
  const rows = request.staffing.map((r) => ({
    listeners: r.listeners,
    days: r.days,
    start: r.start,
    end: r.end,
    trainings: r.trainings ?? [],
    // English is every listener's; the engine counts only the others.
    languages: (r.languages ?? []).filter((l) => l !== 'en'),
  }));
  const invalid = staffingError(rows);
  if (invalid) throw fail(invalid.field, invalid.message.slice(invalid.field.length + 2));
  const listeners = rows.reduce((n, r) => n + r.listeners, 0);
  if (listeners > MAX_PLAN_LISTENERS)
    throw fail(
      'staffing',
      `may have at most ${MAX_PLAN_LISTENERS} listeners in all (it has ${listeners})`,
    );
  return rows;
}

/** The policies asked for, the CURRENT one under the changed settings. */
export function policyRuns(request: SimulationRequestDto): PolicyRun[] {
  return request.policies.map((kind) => ({
    name: kind,
    kind,
    ...(kind === 'CURRENT' && request.settings ? { settings: overrideOf(request.settings) } : {}),
  }));
}

function overrideOf(s: SimulationSettingsDto): PolicyRun['settings'] {
  return {
    ...(s.slaHours ? { slaHours: { ...s.slaHours } } : {}),
    ...(s.mailSlaHours ? { mailSlaHours: { ...s.mailSlaHours } } : {}),
    ...(s.continuityCreditHours !== undefined
      ? { continuityCreditHours: s.continuityCreditHours }
      : {}),
    ...(s.retentionDays !== undefined ? { retentionDays: s.retentionDays } : {}),
  };
}

/** The establishment's stored settings as the simulator reads them. */
export function simulationSettingsOf(s: EstablishmentSettings): SimulationSettings {
  return {
    slaHours: s.slaHours,
    mailSlaHours: s.mailSlaHours,
    keywordLexicon: s.keywordLexicon,
    continuityCreditHours: s.continuityCreditHours,
    retentionDays: effectiveRetentionDays(s.retentionDays),
  };
}

export interface ChosenHandling {
  model: HandlingModel;
  /** Mean minutes a call, as the model gives it (for sizing a synthetic world). */
  meanMinutes: number;
  /** What was used, in a sentence, when it is not what was asked for. */
  note: string | null;
}

/**
 * FIXED as asked; OBSERVED from the logged handling times, or, with fewer than
 * MIN_OBSERVED_HANDLING of them, FIXED at FALLBACK_HANDLING, saying so.
 */
export function handlingOf(
  handling: HandlingDto,
  observedSeconds: readonly number[],
  seed: number,
): ChosenHandling {
  if (handling.kind === 'FIXED') {
    const meanMinutes = handling.meanMinutes!;
    return {
      model: { kind: 'FIXED', meanMinutes, sdMinutes: handling.sdMinutes!, seed },
      meanMinutes,
      note: null,
    };
  }
  if (observedSeconds.length < MIN_OBSERVED_HANDLING) {
    const { meanMinutes, sdMinutes } = FALLBACK_HANDLING;
    return {
      model: { kind: 'FIXED', meanMinutes, sdMinutes, seed },
      meanMinutes,
      note:
        `Only ${observedSeconds.length} logged handling time${observedSeconds.length === 1 ? '' : 's'} ` +
        `(fewer than ${MIN_OBSERVED_HANDLING}): handling was drawn as ${meanMinutes} ± ${sdMinutes} minutes a call.`,
    };
  }
  const mean = observedSeconds.reduce((s, x) => s + x, 0) / observedSeconds.length / 60;
  return {
    model: { kind: 'OBSERVED', handlingSeconds: observedSeconds, seed },
    meanMinutes: Math.max(1, mean),
    note: null,
  };
}

/** Listener-hours the plan works in the period's London days (what an overload is measured against). */
export function planHours(staffing: readonly StaffingRow[], period: Period): number {
  const firstDay = Date.parse(`${londonDate(period.from)}T12:00:00Z`);
  let hours = 0;
  for (let k = 0; k < period.days; k += 1) {
    const weekday = WEEKDAYS[new Date(firstDay + k * DAY_MS).getUTCDay()];
    for (const row of staffing) {
      if (row.days.includes(weekday))
        hours += (row.listeners * (minutes(row.end) - minutes(row.start))) / 60;
    }
  }
  return hours;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
