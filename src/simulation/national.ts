/**
 * The national synthetic month, for `npm run simulate` and `npm run bench:simulation`: the demo
 * world at national scale (120 prisons, 210,000 calls a day, a tenth monitored) and a staffing plan
 * sized from its calls so that the monitored calls need `overload` times the listener-hours the plan
 * works. Pure, like the engine.
 */
import { TRAININGS } from '../common/vocabulary';
import { HandlingModel, PolicyKind, SimulationResult, StaffingRow, WEEKDAYS } from './model';
import { DEFAULT_SIMULATION_SETTINGS } from './sample-calls';
import { simulate } from './simulation';
import { CALLS_PER_PRISONER_PER_DAY, MONITORED_SHARE, syntheticCalls } from './synthetic-calls';

export interface NationalOptions {
  establishments: number;
  callsPerDay: number;
  monitoredShare: number;
  days: number;
  /** The period ends at this instant (a London midnight); it starts `days` days before. */
  to: Date;
  overload: number;
  seed: number;
  meanMinutes: number;
  sdMinutes: number;
  policies: readonly PolicyKind[];
}

export const NATIONAL_DEFAULTS: NationalOptions = {
  establishments: 120,
  callsPerDay: 210_000,
  monitoredShare: MONITORED_SHARE,
  days: 30,
  to: new Date('2026-11-01T00:00:00Z'),
  overload: 2,
  seed: 7,
  meanMinutes: 9,
  sdMinutes: 4,
  policies: ['CURRENT', 'FIFO', 'MAPPA_LEVEL'],
};

/** Shifts start at this London time, every day. */
const SHIFT_START_MINUTES = 8 * 60;
/** No listener works longer than this a day. */
const MAX_SHIFT_MINUTES = 8 * 60;

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * One row per establishment: as few listeners as can work its hours in shifts of at most eight
 * hours from 08:00 every day, the shift rounded to a quarter of an hour. Every listener has every
 * training and speaks every language of the calls, so that translation (not simulated) and
 * training gaps do not stand between a policy and the calls it would hear.
 */
export function nationalStaffing(
  monitoredCalls: ReadonlyMap<string, number>,
  languages: readonly string[],
  days: number,
  meanMinutes: number,
  overload: number,
): StaffingRow[] {
  return [...monitoredCalls].map(([establishment, calls]) => {
    const minutesPerDay = (calls * meanMinutes) / overload / days;
    const listeners = Math.max(1, Math.ceil(minutesPerDay / MAX_SHIFT_MINUTES));
    const shift = Math.min(
      MAX_SHIFT_MINUTES,
      Math.max(60, Math.round(minutesPerDay / listeners / 15) * 15),
    );
    return {
      listeners,
      days: [...WEEKDAYS],
      start: hhmm(SHIFT_START_MINUTES),
      end: hhmm(SHIFT_START_MINUTES + shift),
      trainings: [...TRAININGS],
      languages: languages.filter((l) => l !== 'en'),
      establishments: [establishment],
    };
  });
}

export interface NationalRun {
  options: NationalOptions;
  /** Calls the monitored prisoners made (the others' are not generated). */
  monitoredCalls: number;
  staffing: StaffingRow[];
  result: SimulationResult;
  seconds: { generate: number; simulate: number };
}

export function runNational(options: NationalOptions): NationalRun {
  const started = process.hrtime.bigint();
  const prisoners = Math.round(
    options.callsPerDay / options.establishments / CALLS_PER_PRISONER_PER_DAY,
  );
  const world = syntheticCalls({
    establishments: options.establishments,
    prisoners,
    to: options.to,
    days: options.days,
    seed: options.seed,
    monitoredShare: options.monitoredShare,
  });
  const perEstablishment = new Map<string, number>(world.establishments.map((e) => [e, 0]));
  const languages = new Set<string>();
  for (const c of world.calls) {
    const e = c.facts.call.establishmentCode;
    perEstablishment.set(e, (perEstablishment.get(e) ?? 0) + 1);
    languages.add(c.facts.call.language.toLowerCase());
  }
  const staffing = nationalStaffing(
    perEstablishment,
    [...languages].sort(),
    options.days,
    options.meanMinutes,
    options.overload,
  );
  const generated = process.hrtime.bigint();
  const handling: HandlingModel = {
    kind: 'FIXED',
    meanMinutes: options.meanMinutes,
    sdMinutes: options.sdMinutes,
    seed: options.seed,
  };
  const result = simulate({
    from: new Date(options.to.getTime() - options.days * 86_400_000),
    to: options.to,
    calls: world.calls,
    staffing,
    handling,
    settings: DEFAULT_SIMULATION_SETTINGS,
    policies: options.policies.map((kind) => ({ name: kind, kind })),
  });
  const done = process.hrtime.bigint();
  return {
    options,
    monitoredCalls: world.calls.length,
    staffing,
    result,
    seconds: {
      generate: Number(generated - started) / 1e9,
      simulate: Number(done - generated) / 1e9,
    },
  };
}
