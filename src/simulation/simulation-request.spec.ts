import { DEFAULT_SETTINGS } from '../establishments/settings';
import {
  FALLBACK_HANDLING,
  handlingOf,
  historyPeriod,
  planHours,
  policyRuns,
  RequestError,
  simulationSettingsOf,
  staffingOf,
  syntheticPeriod,
} from './simulation-request';
import { SimulationRequestDto } from './simulation.dto';

const request = (over: Partial<SimulationRequestDto> = {}): SimulationRequestDto => ({
  establishment: 'NHI',
  source: { kind: 'HISTORY', from: '2026-10-01', to: '2026-10-31' },
  staffing: [
    {
      listeners: 3,
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      start: '08:00',
      end: '16:00',
      trainings: ['PUBLIC_PROTECTION'],
      languages: ['en', 'pl'],
    },
  ],
  handling: { kind: 'OBSERVED' },
  policies: ['CURRENT', 'FIFO'],
  ...over,
});

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof RequestError) return e.error.field;
    throw e;
  }
  return null;
};

describe('a simulation request as the engine takes it', () => {
  it('reads a HISTORY period as whole London days, both ends included', () => {
    // October 2026: British Summer Time until the 25th, so the 1st starts at 23:00 UTC the day before.
    expect(historyPeriod('2026-10-01', '2026-10-31')).toEqual({
      from: new Date('2026-09-30T23:00:00Z'),
      to: new Date('2026-11-01T00:00:00Z'),
      days: 31,
    });
    expect(historyPeriod('2026-12-01', '2026-12-01').days).toBe(1);
  });

  it('refuses a period over 92 days, backwards or not on the calendar, naming the field', () => {
    expect(fieldOf(() => historyPeriod('2026-01-01', '2026-04-02'))).toBeNull(); // 92 days
    expect(fieldOf(() => historyPeriod('2026-01-01', '2026-04-03'))).toBe('source.to');
    expect(fieldOf(() => historyPeriod('2025-01-01', '2026-02-05'))).toBe('source.to');
    expect(fieldOf(() => historyPeriod('2026-10-02', '2026-10-01'))).toBe('source.to');
    expect(fieldOf(() => historyPeriod('2026-02-30', '2026-03-01'))).toBe('source.from');
  });

  it('ends a SYNTHETIC period at the start of today in London', () => {
    expect(syntheticPeriod(new Date('2026-07-10T12:00:00Z'), 7)).toEqual({
      from: new Date('2026-07-02T23:00:00Z'),
      to: new Date('2026-07-09T23:00:00Z'),
      days: 7,
    });
  });

  it('keeps English out of the languages and names a shift that ends before it starts', () => {
    expect(staffingOf(request())[0].languages).toEqual(['pl']);
    const backwards = request({
      staffing: [{ ...request().staffing[0], start: '16:00', end: '08:00' }],
    });
    expect(fieldOf(() => staffingOf(backwards))).toBe('staffing[0].end');
  });

  it('gives the changed settings to the CURRENT run only', () => {
    const runs = policyRuns(
      request({
        policies: ['CURRENT', 'FIFO'],
        settings: { slaHours: { P1: 12 }, continuityCreditHours: 0 },
      }),
    );
    expect(runs).toEqual([
      {
        name: 'CURRENT',
        kind: 'CURRENT',
        settings: { slaHours: { P1: 12 }, continuityCreditHours: 0 },
      },
      { name: 'FIFO', kind: 'FIFO' },
    ]);
  });

  it('reads the establishment’s settings, retention capped at 90 days', () => {
    expect(simulationSettingsOf({ ...DEFAULT_SETTINGS, retentionDays: 400 }).retentionDays).toBe(
      90,
    );
  });

  it('uses the logged handling times, or falls back to a stated time and says so', () => {
    const seen = Array.from({ length: 30 }, (_, i) => 300 + i * 20);
    const observed = handlingOf({ kind: 'OBSERVED' }, seen, 1);
    expect(observed.model.kind).toBe('OBSERVED');
    expect(observed.note).toBeNull();
    expect(observed.meanMinutes).toBeCloseTo(9.83, 2);
    const few = handlingOf({ kind: 'OBSERVED' }, seen.slice(0, 4), 1);
    expect(few.model).toEqual({ kind: 'FIXED', ...FALLBACK_HANDLING, seed: 1 });
    expect(few.note).toMatch(/^Only 4 logged handling times \(fewer than 30\)/);
    expect(handlingOf({ kind: 'FIXED', meanMinutes: 9, sdMinutes: 4 }, [], 7).model).toEqual({
      kind: 'FIXED',
      meanMinutes: 9,
      sdMinutes: 4,
      seed: 7,
    });
  });

  it('counts the listener-hours a plan works in a period, weekdays by London', () => {
    // 1–31 October 2026: 22 weekdays; 3 listeners × 8 hours.
    expect(planHours(staffingOf(request()), historyPeriod('2026-10-01', '2026-10-31'))).toBe(528);
  });
});
