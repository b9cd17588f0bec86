import { shiftStart } from './shift';

describe('shiftStart', () => {
  const at = (iso: string) => shiftStart(new Date(iso)).toISOString();

  it('is 07:00 London time during the day shift, in winter and in summer', () => {
    expect(at('2026-01-15T12:00:00Z')).toBe('2026-01-15T07:00:00.000Z');
    expect(at('2026-01-15T07:00:00Z')).toBe('2026-01-15T07:00:00.000Z');
    expect(at('2026-07-01T12:00:00Z')).toBe('2026-07-01T06:00:00.000Z');
  });

  it('is 19:00 London time during the night shift, the evening before after midnight', () => {
    expect(at('2026-01-15T21:30:00Z')).toBe('2026-01-15T19:00:00.000Z');
    expect(at('2026-01-16T03:00:00Z')).toBe('2026-01-15T19:00:00.000Z');
    expect(at('2026-01-01T06:59:00Z')).toBe('2025-12-31T19:00:00.000Z');
    // 23:30 UTC on 30 June is 00:30 on 1 July in London: the night shift began on 30 June.
    expect(at('2026-06-30T23:30:00Z')).toBe('2026-06-30T18:00:00.000Z');
  });
});
