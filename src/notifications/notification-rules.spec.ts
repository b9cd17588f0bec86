import {
  escalationPersonalisation,
  londonHour,
  MAX_RETRY_MS,
  nextAttemptAt,
  outcomeOf,
} from './notification-rules';

describe('notification rules', () => {
  const now = new Date('2026-12-03T03:00:00Z');

  it('back off 30 s, doubling, at most an hour apart', () => {
    const delays = [1, 2, 3, 4, 10, 20].map((a) => nextAttemptAt(now, a).getTime() - now.getTime());
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, MAX_RETRY_MS, MAX_RETRY_MS]);
  });

  it('retry 429, 5xx and no answer; fail 400 and 403 for good', () => {
    expect([429, 500, 503, null].map(outcomeOf)).toEqual(['RETRY', 'RETRY', 'RETRY', 'RETRY']);
    expect([400, 403].map(outcomeOf)).toEqual(['FAIL', 'FAIL']);
  });

  it('say what kind of thing, the prisoner number and a link, nothing heard', () => {
    expect(
      escalationPersonalisation({
        escalationId: 'e1',
        target: 'SECURITY',
        prisonNumber: 'A1234BC',
        reopened: false,
        dueAt: new Date('2026-12-03T04:00:00Z'),
        workbenchUrl: 'https://mpc.example/',
      }),
    ).toEqual({
      kind: 'new',
      target: 'a security escalation',
      prison_number: 'A1234BC',
      due: '3 December 2026 at 04:00',
      link: 'https://mpc.example/escalations/e1',
    });
  });

  it('read the London hour across the clock change', () => {
    expect(londonHour(new Date('2026-07-01T06:30:00Z'))).toBe(7);
    expect(londonHour(new Date('2026-12-01T06:30:00Z'))).toBe(6);
  });
});
