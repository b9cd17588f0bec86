import { effectiveRetentionDays, MAX_RETENTION_DAYS } from './retention.service';

describe('effectiveRetentionDays', () => {
  it('uses the setting when it is a whole number of days within the rule', () => {
    expect(effectiveRetentionDays(30)).toBe(30);
    expect(effectiveRetentionDays(90)).toBe(90);
  });

  it('never keeps content beyond the 90 days of rule 35D', () => {
    expect(MAX_RETENTION_DAYS).toBe(90);
    expect(effectiveRetentionDays(365)).toBe(90);
  });

  it('falls back to 90 days for a missing or unreadable setting', () => {
    expect(effectiveRetentionDays(undefined)).toBe(90);
    expect(effectiveRetentionDays(null)).toBe(90);
    expect(effectiveRetentionDays('soon')).toBe(90);
  });

  it('keeps at least one day, in whole days', () => {
    expect(effectiveRetentionDays(0)).toBe(1);
    expect(effectiveRetentionDays(-5)).toBe(1);
    expect(effectiveRetentionDays(30.7)).toBe(30);
    expect(effectiveRetentionDays('45')).toBe(45);
  });
});
