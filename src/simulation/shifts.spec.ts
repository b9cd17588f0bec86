import { listenersOf, londonInstant, staffingError } from './shifts';
import { drawHandlingTimes, MIN_HANDLING_MS } from './handling';
import { StaffingRow } from './model';

const row: StaffingRow = {
  listeners: 2,
  days: ['SAT', 'SUN', 'MON'],
  start: '08:00',
  end: '16:00',
  trainings: [],
  languages: ['PL'],
};

describe('the staffing plan', () => {
  it('works London hours across the change of the clocks (25 October 2026)', () => {
    const [a, b] = listenersOf(
      [row],
      new Date('2026-10-24T00:00:00Z'),
      new Date('2026-10-27T00:00:00Z'),
      ['NHI'],
    );
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    expect(a.shifts.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2026-10-24T07:00', '2026-10-24T15:00'],
      ['2026-10-25T08:00', '2026-10-25T16:00'],
      ['2026-10-26T08:00', '2026-10-26T16:00'],
    ]);
    expect(b).toMatchObject({ establishments: ['NHI'], languages: ['pl'], shifts: a.shifts });
    expect(a.username).not.toBe(b.username);
  });

  it('clips shifts to the period and reads "24:00" as midnight', () => {
    const [a] = listenersOf(
      [{ ...row, listeners: 1, days: ['MON'], start: '12:00', end: '24:00' }],
      new Date('2026-11-02T15:00:00Z'),
      new Date('2026-11-02T20:00:00Z'),
      ['NHI'],
    );
    expect(a.shifts).toEqual([
      { start: Date.parse('2026-11-02T15:00:00Z'), end: Date.parse('2026-11-02T20:00:00Z') },
    ]);
    expect(londonInstant(Date.parse('2026-11-02T00:00:00Z'), 24 * 60)).toBe(
      Date.parse('2026-11-03T00:00:00Z'),
    );
  });

  it('names the field of a mistake: a shift ending before it starts, no listeners, no days', () => {
    expect(staffingError([{ ...row, end: '07:00' }])?.field).toBe('staffing[0].end');
    expect(staffingError([row, { ...row, listeners: 0 }])?.field).toBe('staffing[1].listeners');
    expect(staffingError([{ ...row, days: [] }])?.field).toBe('staffing[0].days');
    expect(staffingError([{ ...row, start: '8am' }])?.field).toBe('staffing[0].start');
    expect(staffingError([])?.field).toBe('staffing');
    expect(staffingError([row])).toBeNull();
    expect(() => listenersOf([{ ...row, end: '08:00' }], new Date(0), new Date(1), [])).toThrow(
      'staffing[0].end',
    );
  });
});

describe('handling times', () => {
  it('draws the same times from the same seed, near the stated mean, never under a minute', () => {
    const model = { kind: 'FIXED', meanMinutes: 9, sdMinutes: 4, seed: 7 } as const;
    const times = drawHandlingTimes(model, 20_000);
    expect(drawHandlingTimes(model, 20_000)).toEqual(times);
    expect(drawHandlingTimes({ ...model, seed: 8 }, 20_000)).not.toEqual(times);
    const mean = times.reduce((a, b) => a + b, 0) / times.length / 60_000;
    expect(mean).toBeGreaterThan(8.8);
    expect(mean).toBeLessThan(9.3);
    expect(Math.min(...times)).toBe(MIN_HANDLING_MS);
  });

  it('draws observed handling times from those logged, and only those', () => {
    const times = drawHandlingTimes({ kind: 'OBSERVED', handlingSeconds: [120, 600] }, 1000);
    expect(new Set(times)).toEqual(new Set([120_000, 600_000]));
    expect(() => drawHandlingTimes({ kind: 'OBSERVED', handlingSeconds: [] }, 1)).toThrow(
      'handlingSeconds',
    );
  });
});
