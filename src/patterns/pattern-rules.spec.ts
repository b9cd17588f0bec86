import { DEFAULT_SETTINGS, PatternThresholds } from '../establishments/settings';
import {
  authorisationDraft,
  burst,
  detectPatterns,
  displayNumber,
  londonHour,
  newNumberRepeated,
  otherPrisonersProtectedContact,
  PairFacts,
  privilegedSocialUse,
  protectedContact,
  rateSpike,
} from './pattern-rules';

const T: PatternThresholds = DEFAULT_SETTINGS.patterns;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Wednesday 18 November 2026, 22:00 UTC (GMT: London time is UTC).
const LAST = new Date('2026-11-18T22:00:00Z');
const at = (hoursBeforeLast: number) => new Date(LAST.getTime() - hoursBeforeLast * HOUR);

/** A number first called 20 days ago, one call in the batch, two months of history: no pattern. */
function facts(over: Partial<PairFacts> = {}): PairFacts {
  return {
    establishmentCode: 'NHI',
    prisonNumber: 'A1234BC',
    dialledNumber: '+447911123456',
    batchFrom: LAST,
    batchTo: LAST,
    callsIn24h: 1,
    firstIn24h: LAST,
    lastIn24h: LAST,
    callsPrevious30Days: 0,
    firstCalledAt: new Date(LAST.getTime() - 20 * DAY),
    callsFirst48h: 1,
    lastFirst48h: new Date(LAST.getTime() - 20 * DAY),
    prisonerFirstCallAt: new Date(LAST.getTime() - 60 * DAY),
    callsToDate: 1,
    privilegedKind: null,
    protectedContacts: [],
    othersProtected: [],
    privilegedCalls: [],
    ...over,
  };
}

/** The inspection's case: 43 calls to a number first called that morning. */
const flood = facts({
  batchFrom: at(14),
  callsIn24h: 43,
  firstIn24h: at(14),
  firstCalledAt: at(14),
  callsFirst48h: 43,
  callsToDate: 43,
});

describe('pattern rules', () => {
  it('shows UK numbers in national form and leaves service numbers alone', () => {
    expect(displayNumber('+447911123456')).toBe('07911 123456');
    expect(displayNumber('+442079460000')).toBe('020 7946 0000');
    expect(displayNumber('116123')).toBe('116123');
  });

  it('reads the hour on a London clock, summer time included', () => {
    expect(londonHour(new Date('2026-11-18T18:30:00Z'))).toBe(18);
    expect(londonHour(new Date('2026-07-01T17:30:00Z'))).toBe(18);
    expect(londonHour(new Date('2026-07-01T23:30:00Z'))).toBe(0);
  });

  describe('BURST', () => {
    it('fires at the threshold of calls in 24 hours, not below', () => {
      expect(burst(facts({ callsIn24h: T.burstCalls24h - 1 }), T)).toBeNull();
      const b = burst(facts({ callsIn24h: T.burstCalls24h, firstIn24h: at(20) }), T)!;
      expect(b.reason).toBe('10 calls to 07911 123456 in 24 hours');
      expect(b.callCount).toBe(10);
      expect(b.firstCallAt).toEqual(at(20));
      expect(b.lastCallAt).toEqual(LAST);
    });

    it('says "new number" when the number was first called within 48 hours of the burst', () => {
      const b = burst(flood, T)!;
      expect(b.reason).toBe('43 calls to 07911 123456 in 24 hours (new number)');
      expect(b.evidence).toEqual({
        windowHours: 24,
        calls: 43,
        from: at(14).toISOString(),
        to: LAST.toISOString(),
        threshold: 10,
        newNumber: true,
        firstCalledAt: at(14).toISOString(),
      });
    });

    it('follows the establishment threshold', () => {
      expect(burst(facts({ callsIn24h: 12 }), { ...T, burstCalls24h: 20 })).toBeNull();
    });
  });

  describe('RATE_SPIKE', () => {
    it('needs history: a first day of calls is no spike against nothing', () => {
      expect(rateSpike(facts({ callsIn24h: 30, callsPrevious30Days: 0 }), T)).toBeNull();
    });

    it('fires at multiplier × the 30-day daily rate and at least the minimum calls', () => {
      // 30 calls in 30 days: 1 a day; 5 × 1 = 5, but at least 6 calls are needed.
      expect(rateSpike(facts({ callsIn24h: 5, callsPrevious30Days: 30 }), T)).toBeNull();
      const r = rateSpike(facts({ callsIn24h: 6, callsPrevious30Days: 30 }), T)!;
      expect(r.reason).toBe(
        '6 calls to 07911 123456 in 24 hours against 1.0 a day over the previous 30 days',
      );
      expect(r.evidence).toMatchObject({ callsPrevious30Days: 30, dailyRate: 1, multiplier: 5 });
      // 60 calls in 30 days: 2 a day; 9 calls is under 5 × 2.
      expect(rateSpike(facts({ callsIn24h: 9, callsPrevious30Days: 60 }), T)).toBeNull();
      expect(rateSpike(facts({ callsIn24h: 10, callsPrevious30Days: 60 }), T)).not.toBeNull();
    });

    it('takes the rate over the days the prisoner’s calls are on record, and needs a week of them', () => {
      const since = (days: number) => new Date(LAST.getTime() - DAY - days * DAY);
      // 10 calls in the 10 days on record: 1 a day, so 5 calls is no spike and 6 is.
      const short = facts({ callsPrevious30Days: 10, prisonerFirstCallAt: since(10) });
      expect(rateSpike({ ...short, callsIn24h: 5 }, T)).toBeNull();
      expect(rateSpike({ ...short, callsIn24h: 6 }, T)!.reason).toBe(
        '6 calls to 07911 123456 in 24 hours against 1.0 a day over the previous 10 days',
      );
      expect(rateSpike({ ...short, callsIn24h: 6 }, T)!.evidence).toMatchObject({
        historyDays: 10,
      });
      // Under a week on record: no judgement of "his own rate".
      expect(
        rateSpike(
          facts({ callsIn24h: 30, callsPrevious30Days: 1, prisonerFirstCallAt: since(6) }),
          T,
        ),
      ).toBeNull();
      expect(
        rateSpike(
          facts({ callsIn24h: 30, callsPrevious30Days: 1, prisonerFirstCallAt: since(7) }),
          T,
        ),
      ).not.toBeNull();
    });

    it('words a rare number as under 0.1 a day', () => {
      expect(rateSpike(facts({ callsIn24h: 6, callsPrevious30Days: 1 }), T)!.reason).toContain(
        'against < 0.1 a day',
      );
    });
  });

  describe('NEW_NUMBER_REPEATED', () => {
    it('counts the calls within 48 hours of the first call', () => {
      const n = newNumberRepeated(flood, T)!;
      expect(n.reason).toBe(
        'new number 07911 123456 called 43 times within 48 hours of the first call',
      );
      expect(n.callCount).toBe(43);
      expect(n.firstCallAt).toEqual(at(14));
      expect(newNumberRepeated({ ...flood, callsFirst48h: T.newNumberCalls48h - 1 }, T)).toBeNull();
      expect(newNumberRepeated({ ...flood, callsFirst48h: T.newNumberCalls48h }, T)).not.toBeNull();
    });

    it('needs a week of the prisoner’s calls on record before the number: otherwise every number is new', () => {
      expect(newNumberRepeated({ ...flood, prisonerFirstCallAt: at(14) }, T)).toBeNull();
      expect(
        newNumberRepeated(
          { ...flood, prisonerFirstCallAt: new Date(at(14).getTime() - 6 * DAY) },
          T,
        ),
      ).toBeNull();
      expect(
        newNumberRepeated(
          { ...flood, prisonerFirstCallAt: new Date(at(14).getTime() - 7 * DAY) },
          T,
        ),
      ).not.toBeNull();
      expect(burst({ ...flood, prisonerFirstCallAt: at(14) }, T)!.reason).toBe(
        '43 calls to 07911 123456 in 24 hours',
      );
    });

    it('is judged only by a batch that reaches into those 48 hours', () => {
      const later = { ...flood, batchFrom: new Date(at(14).getTime() + 49 * HOUR) };
      expect(newNumberRepeated(later, T)).toBeNull();
    });
  });

  describe('PROTECTED_CONTACT', () => {
    it('fires on any call to the prisoner’s victim or restricted contact', () => {
      const p = protectedContact(
        facts({
          callsToDate: 1,
          protectedContacts: [
            {
              name: 'Jane Doe',
              relationship: 'EX_PARTNER',
              isVictim: true,
              restriction: 'NO_CONTACT',
            },
          ],
        }),
      )!;
      expect(p.reason).toBe('1 call to Jane Doe on 07911 123456 (victim, no-contact restriction)');
      expect(p.callCount).toBe(1);
      expect(protectedContact(facts())).toBeNull();
    });
  });

  describe('OTHER_PRISONERS_PROTECTED_CONTACT', () => {
    it('names the other prisoner and the possible intimidation', () => {
      const o = otherPrisonersProtectedContact(
        facts({
          callsToDate: 2,
          othersProtected: [
            {
              prisonNumber: 'B2345CD',
              establishmentCode: 'LEI',
              isVictim: true,
              restriction: 'NONE',
            },
          ],
        }),
      )!;
      expect(o.reason).toBe(
        '2 calls to 07911 123456, protected contact (victim) of another prisoner (B2345CD): possible witness intimidation or relayed contact',
      );
      expect(o.evidence).toEqual({
        calls: 2,
        otherPrisoners: [
          {
            prisonNumber: 'B2345CD',
            establishmentCode: 'LEI',
            isVictim: true,
            restriction: 'NONE',
          },
        ],
      });
    });
  });

  describe('PRIVILEGED_SOCIAL_USE', () => {
    const evening = (daysBefore: number, minutes: number, hourUtc = 19) => ({
      startedAt: new Date(Date.UTC(2026, 10, 18 - daysBefore, hourUtc, 0, 0)),
      durationSeconds: minutes * 60,
    });
    const legal = (calls: PairFacts['privilegedCalls'], over: Partial<PairFacts> = {}) =>
      facts({
        dialledNumber: '+442079460000',
        privilegedKind: 'LEGAL_ADVISER',
        batchFrom: new Date(Date.UTC(2026, 10, 18, 0, 0, 0)),
        privilegedCalls: calls,
        ...over,
      });

    it('counts long evening calls within 7 days', () => {
      const p = privilegedSocialUse(legal([evening(0, 25), evening(2, 40), evening(5, 20)]), T)!;
      expect(p.reason).toBe(
        '3 evening calls of 20 minutes or more in 7 days to privileged number 020 7946 0000 (legal adviser): security review of the number; never listened to',
      );
      expect(p.callCount).toBe(3);
    });

    it('ignores short calls, daytime calls and calls more than 7 days apart', () => {
      expect(
        privilegedSocialUse(legal([evening(0, 25), evening(1, 19), evening(2, 40, 10)]), T),
      ).toBeNull();
      expect(
        privilegedSocialUse(legal([evening(0, 25), evening(3, 25), evening(8, 25)]), T),
      ).toBeNull();
    });

    it('only ever examines privileged numbers for social use, and privileged numbers for nothing else', () => {
      const kinds = detectPatterns(
        legal([evening(0, 25), evening(2, 40), evening(5, 20)], {
          callsIn24h: 43,
          callsFirst48h: 43,
          firstCalledAt: at(14),
        }),
        T,
      ).map((c) => c.kind);
      expect(kinds).toEqual(['PRIVILEGED_SOCIAL_USE']);
    });
  });

  it('finds every pattern of a pair at once', () => {
    expect(detectPatterns(flood, T).map((c) => c.kind)).toEqual(['BURST', 'NEW_NUMBER_REPEATED']);
    expect(detectPatterns(facts(), T)).toEqual([]);
  });

  describe('authorisation draft', () => {
    it('asks for intelligence-led phone monitoring with the evidence and a look-back reaching the first call', () => {
      const now = new Date(LAST.getTime() + 2 * HOUR);
      const draft = authorisationDraft(
        { prisonNumber: 'A1234BC', alertCodes: ['RDV'] },
        [
          {
            kind: 'BURST',
            reason: '43 calls to 07911 123456 in 24 hours (new number)',
            firstCallAt: at(14),
            lastCallAt: LAST,
          },
        ],
        now,
      );
      expect(draft).toMatchObject({
        type: 'INTELLIGENCE_LED',
        grounds: ['CRIME', 'PUBLIC_SAFETY'],
        channels: ['PHONE'],
        lookbackDays: 2,
      });
      expect(draft.justification).toContain(
        '- 43 calls to 07911 123456 in 24 hours (new number) (18 Nov 2026, 08:00 to 18 Nov 2026, 22:00)',
      );
      expect(draft.justification).toContain('none of these calls has been listened to');
      expect(draft.justification).toContain('alert codes: RDV');
      expect(draft.justification.length).toBeGreaterThanOrEqual(20);
    });

    it('never looks back more than 90 days', () => {
      const old = new Date(LAST.getTime() - 200 * DAY);
      const draft = authorisationDraft(
        { prisonNumber: 'A1234BC', alertCodes: [] },
        [{ kind: 'PROTECTED_CONTACT', reason: 'x', firstCallAt: old, lastCallAt: LAST }],
        LAST,
      );
      expect(draft.lookbackDays).toBe(90);
    });
  });
});
