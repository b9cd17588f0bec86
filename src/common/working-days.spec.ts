import { englandAndWalesCalendar, WorkingCalendar } from './working-days';

describe('working days in England and Wales', () => {
  const calendar = englandAndWalesCalendar();

  it('knows the bank holidays, including substitute days', () => {
    expect(calendar.isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(calendar.isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(calendar.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
    expect(calendar.isWorkingDay('2026-08-31')).toBe(false); // Summer bank holiday
    expect(calendar.isWorkingDay('2026-04-07')).toBe(true);
  });

  it('skips weekends', () => {
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-11-30')).toBe(true);
  });

  it('counts one working day across the Easter bank holiday weekend', () => {
    // Thursday 2 April 2026 14:00 → Good Friday, weekend and Easter Monday are skipped → Tuesday 7 April.
    expect(calendar.addWorkingDays(new Date('2026-04-02T14:00:00Z'), 1).toISOString()).toBe(
      '2026-04-07T14:00:00.000Z',
    );
  });

  it('counts five working days across a bank holiday Monday', () => {
    // Friday 22 May 2026 → 25 May is the Spring bank holiday → 26, 27, 28, 29 May, 1 June.
    expect(calendar.addWorkingDays(new Date('2026-05-22T09:30:00Z'), 5).toISOString()).toBe(
      '2026-06-01T09:30:00.000Z',
    );
  });

  it('counts from the next working day when the start is a weekend', () => {
    expect(calendar.addWorkingDays(new Date('2026-11-28T10:00:00Z'), 1).toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
  });

  it('uses the London date near midnight in summer time', () => {
    // 23:30 UTC on Thursday 2 April is 00:30 on Good Friday in London.
    expect(WorkingCalendar.londonDate(new Date('2026-04-02T23:30:00Z'))).toBe('2026-04-03');
  });

  it('finds the next working Wednesday', () => {
    expect(calendar.nextWorkingWeekday(new Date('2026-11-27T10:00:00Z'), 3)).toBe('2026-12-02');
  });

  it('works with any holiday source', () => {
    const custom = new WorkingCalendar(() => ['2030-01-02']);
    expect(custom.addWorkingDays(new Date('2030-01-01T08:00:00Z'), 1).toISOString()).toBe(
      '2030-01-03T08:00:00.000Z',
    );
  });
});
