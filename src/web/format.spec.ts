import {
  compareNatural,
  formatMinutes,
  formatNumber,
  formatPercent,
  namedPeople,
  overdueBy,
  uniqueReasons,
} from './format';

describe('format', () => {
  it('writes numbers the British way', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(2.5, 1)).toBe('2.5');
    expect(formatNumber(0.11666666666666667, 1)).toBe('0.1');
    expect(formatNumber(null)).toBe('');
    expect(formatPercent(0.426)).toBe('43%');
  });

  it('writes minutes with one decimal', () => {
    expect(formatMinutes(0.11666666666666667)).toBe('0.1 minutes');
    expect(formatMinutes(1)).toBe('1.0 minute');
    expect(formatMinutes(12.25)).toBe('12.3 minutes');
    expect(formatMinutes(null)).toBe('');
  });

  it('sorts names naturally', () => {
    expect(['listener10', 'listener2', 'Listener1'].sort(compareNatural)).toEqual([
      'Listener1',
      'listener2',
      'listener10',
    ]);
  });

  it('says how long ago a due time passed, in the largest whole unit', () => {
    const now = new Date('2026-03-29T12:00:00Z');
    expect(overdueBy('2026-03-01T11:00:00Z', now)).toBe('4 weeks');
    expect(overdueBy('2026-03-26T12:00:00Z', now)).toBe('3 days');
    expect(overdueBy('2026-03-28T11:00:00Z', now)).toBe('1 day');
    expect(overdueBy('2026-03-29T07:00:00Z', now)).toBe('5 hours');
    expect(overdueBy('2026-03-29T11:59:30Z', now)).toBe('1 minute');
    expect(overdueBy('2026-03-29T12:00:00Z', now)).toBeNull();
    expect(overdueBy(null, now)).toBeNull();
  });

  it('gives each reason once, with the hours it brings the call forward', () => {
    expect(
      uniqueReasons(['MAPPA level 3', 'RoSH high', 'MAPPA level 3 (+12 h)', 'RoSH high (+1 h)']),
    ).toEqual(['MAPPA level 3 (brought forward 12 hours)', 'RoSH high (brought forward 1 hour)']);
    expect(uniqueReasons(['under an active monitoring authorisation'])).toEqual([
      'Under an active monitoring authorisation',
    ]);
  });
});

describe('namedPeople', () => {
  it('names people by display name, in natural order, with the username only to tell two apart', () => {
    const people = [
      { username: 'listener10', displayName: 'Listener 10' },
      { username: 'jsmith2', displayName: 'Jo Smith' },
      { username: 'listener2', displayName: 'Listener 2' },
      { username: 'jsmith', displayName: 'Jo Smith' },
      { username: 'listener1', displayName: 'Listener 1' },
    ];
    expect(namedPeople(people).map((p) => p.name)).toEqual([
      'Jo Smith (jsmith)',
      'Jo Smith (jsmith2)',
      'Listener 1',
      'Listener 2',
      'Listener 10',
    ]);
  });
});
