import { fromLondonWallClock, londonOffsetMs } from './london-time';

describe('London wall-clock time', () => {
  it('is UTC in winter and an hour ahead in summer', () => {
    expect(londonOffsetMs(new Date('2026-01-15T12:00:00Z'))).toBe(0);
    expect(londonOffsetMs(new Date('2026-07-01T12:00:00Z'))).toBe(3_600_000);
  });

  it('turns a London date and time into the instant', () => {
    expect(fromLondonWallClock(2026, 1, 15, 9, 30).toISOString()).toBe('2026-01-15T09:30:00.000Z');
    expect(fromLondonWallClock(2026, 7, 1, 9, 30).toISOString()).toBe('2026-07-01T08:30:00.000Z');
    expect(fromLondonWallClock(2026, 10, 25, 23, 59, 59).toISOString()).toBe(
      '2026-10-25T23:59:59.000Z',
    );
  });
});
