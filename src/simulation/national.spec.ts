import { nationalStaffing, NATIONAL_DEFAULTS, runNational } from './national';

describe('the national synthetic run', () => {
  it('staffs each establishment for `overload` times too few listener-hours, in shifts of at most 8 hours', () => {
    // 30 days × 175 calls × 9 minutes / 2 = 787.5 minutes a day: 2 listeners for 6h30 (rounded to 15 min).
    const [row] = nationalStaffing(new Map([['AAA', 5250]]), ['en', 'pl'], 30, 9, 2);
    expect(row).toMatchObject({
      listeners: 2,
      start: '08:00',
      end: '14:30',
      languages: ['pl'],
      establishments: ['AAA'],
    });
    expect(row.days).toHaveLength(7);
    const [small] = nationalStaffing(new Map([['AAB', 10]]), [], 30, 9, 2);
    expect(small).toMatchObject({ listeners: 1, end: '09:00' });
  });

  it('runs a small world end to end, the same for the same seed', () => {
    const options = {
      ...NATIONAL_DEFAULTS,
      establishments: 2,
      callsPerDay: 2000,
      days: 5,
      policies: ['CURRENT', 'FIFO'] as const,
    };
    const first = runNational({ ...options, policies: [...options.policies] });
    const second = runNational({ ...options, policies: [...options.policies] });
    expect(first.result.calls).toBeGreaterThan(50);
    expect(first.monitoredCalls).toBeGreaterThanOrEqual(first.result.calls);
    expect(second.result.policies).toEqual(first.result.policies);
    expect(Object.keys(first.result.policies)).toEqual(['CURRENT', 'FIFO']);
  });
});
