import { decisionCovers, flagFingerprint } from './flag-decisions';

describe('decisions on flags: what "its facts change" means', () => {
  it('a fingerprint is stable for the same facts and differs for other facts, subject or type', () => {
    const a = flagFingerprint('MAPPA_L1_REVIEW_OVERDUE', 'A1234BC', ['2026-01-01']);
    expect(flagFingerprint('MAPPA_L1_REVIEW_OVERDUE', 'A1234BC', ['2026-01-01'])).toBe(a);
    expect(flagFingerprint('MAPPA_L1_REVIEW_OVERDUE', 'A1234BC', ['2026-02-01'])).not.toBe(a);
    expect(flagFingerprint('MAPPA_L1_REVIEW_OVERDUE', 'B1234BC', ['2026-01-01'])).not.toBe(a);
    expect(flagFingerprint('HIGH_RISK_NOT_MONITORED', 'A1234BC', ['2026-01-01'])).not.toBe(a);
  });

  it('a decision covers a flag only with the subject and the fingerprint it was made on', () => {
    const covered = [{ subject: 'A1234BC', fingerprint: 'f1' }];
    expect(decisionCovers(covered, { subject: 'A1234BC', fingerprint: 'f1' })).toBe(true);
    expect(decisionCovers(covered, { subject: 'A1234BC', fingerprint: 'f2' })).toBe(false);
    expect(decisionCovers(covered, { subject: 'B1234BC', fingerprint: 'f1' })).toBe(false);
  });
});
