import { TIERS, Tier } from '../common/vocabulary';
import {
  capacityPerDay,
  FORECAST_ASSUMPTIONS,
  forecastBacklog,
  ForecastInput,
  smallestStaffingMeetingAllSlas,
  TierForecastInput,
  tierSlaMet,
} from './forecast';

const NOW = new Date('2026-03-02T09:00:00.000Z');

const tier = (
  arrivalsPerDay: number,
  backlog: number,
  slaHours: number,
  oldestAgeHours: number | null = null,
): TierForecastInput => ({ arrivalsPerDay, backlog, slaHours, oldestAgeHours });

const empty = (slaHours: number) => tier(0, 0, slaHours);

/** Default SLAs: P1 24 h, P2 72 h, P3 7 days, P4 14 days. */
const input = (
  listeners: number,
  tiers: Partial<Record<Tier, TierForecastInput>>,
  over: Partial<ForecastInput> = {},
): ForecastInput => ({
  now: NOW,
  listeners,
  hoursPerDay: 7.5,
  meanHandlingMinutes: 10,
  tiers: {
    P1: tiers.P1 ?? empty(24),
    P2: tiers.P2 ?? empty(72),
    P3: tiers.P3 ?? empty(168),
    P4: tiers.P4 ?? empty(336),
  },
  ...over,
});

/**
 * The worked example. 2 listeners × 7.5 h × 60 / 10 min = C = 90 calls a day.
 *   P1 λ=10 B=20:   clears 20 / (90 − 10) = 0.25 d; a call arriving now waits 20 / 90 d = 5⅓ h.
 *   P2 λ=20 B=100:  clears 120 / (90 − 30) = 2 d;   waits 120 / (90 − 10) = 1.5 d = 36 h.
 *   P3 λ=30 B=300:  clears 420 / (90 − 60) = 14 d;  waits 420 / (90 − 30) = 7 d = 168 h, and one
 *                   10-minute handling time takes it past the 168 h SLA.
 *   P4 λ=40 B=2000: Σλ = 100 > 90, never clears.
 */
const worked = (listeners = 2) =>
  input(listeners, {
    P1: tier(10, 20, 24, 30),
    P2: tier(20, 100, 72, 10),
    P3: tier(30, 300, 168, 168),
    P4: tier(40, 2000, 336, 400),
  });

describe('staffing forecast (fluid priority model)', () => {
  describe('on the worked example (C = 90 calls a day)', () => {
    const f = forecastBacklog(worked());

    it('computes capacity, utilisation and the listener-hours needed to keep up', () => {
      expect(capacityPerDay(2, 7.5, 10)).toBe(90);
      expect(f.capacityPerDay).toBe(90);
      expect(f.utilisation).toBe(1.11); // 100 / 90
      expect(f.requiredListenerHoursPerDay).toBe(16.7); // 100 calls × 10 min / 60
    });

    it('clears P1, P2 and P3 after 0.25, 2 and 14 days', () => {
      expect(f.tiers.P1).toMatchObject({
        stable: true,
        clearsInDays: 0.3, // 0.25 shown to 1 decimal
        clearsAt: '2026-03-02T15:00:00.000Z', // exactly 6 h: computed from the unrounded value
      });
      expect(f.tiers.P2).toMatchObject({
        stable: true,
        clearsInDays: 2,
        clearsAt: '2026-03-04T09:00:00.000Z',
      });
      expect(f.tiers.P3).toMatchObject({
        stable: true,
        clearsInDays: 14,
        clearsAt: '2026-03-16T09:00:00.000Z',
      });
    });

    it('marks P4 unstable: arrivals of all tiers exceed capacity', () => {
      expect(f.tiers.P4).toMatchObject({
        stable: false,
        clearsInDays: null,
        clearsAt: null,
        expectedWaitHours: null,
        slaMet: false,
      });
    });

    it('meets the P1 and P2 SLAs but not P3, where one handling time tips 168 h over', () => {
      expect(f.tiers.P1).toMatchObject({ expectedWaitHours: 5.5, slaMet: true }); // 5⅓ h + 10 min
      expect(f.tiers.P2).toMatchObject({ expectedWaitHours: 36.2, slaMet: true }); // 36 h + 10 min
      expect(f.tiers.P3).toMatchObject({ expectedWaitHours: 168.2, slaMet: false }); // 168 h + 10 min
      expect(f.allSlasMet).toBe(false);
    });

    it('reports calls already past their SLA separately (oldest age > SLA, not equal)', () => {
      expect(f.tiers.P1.breachedNow).toBe(true); // 30 h > 24 h
      expect(f.tiers.P2.breachedNow).toBe(false);
      expect(f.tiers.P3.breachedNow).toBe(false); // 168 h is not past 168 h
      expect(f.tiers.P4.breachedNow).toBe(true);
    });

    it('echoes the inputs and lists what the model ignores', () => {
      expect(f.tiers.P1).toMatchObject({ arrivalsPerDay: 10, backlog: 20, slaHours: 24 });
      expect(f).toMatchObject({ listeners: 2, hoursPerDay: 7.5, meanHandlingMinutes: 10 });
      expect(f.assumptions).toEqual(FORECAST_ASSUMPTIONS);
      const text = f.assumptions.join(' ');
      for (const word of [
        'training',
        'language',
        'continuity credit',
        'stochastic',
        'translation',
        'leave',
        'time of day',
      ]) {
        expect(text).toContain(word);
      }
    });
  });

  describe('smallest staffing meeting every SLA', () => {
    it('is 6 listeners for the worked example, fixed by the P4 backlog', () => {
      // C = 45 per listener. All arrivals: C > 100 → n ≥ 3.
      // P3: 420 × 24 / (C − 30) + 1/6 ≤ 168 → C ≥ 90.06 → n ≥ 3.
      // P4: 2420 × 24 / (C − 60) + 1/6 ≤ 336 → C ≥ 232.94 → n ≥ 6 (5 gives 225).
      expect(smallestStaffingMeetingAllSlas(worked())).toBe(6);
      expect(forecastBacklog(worked()).smallestListenersMeetingAllSlas).toBe(6);

      const five = forecastBacklog(worked(5)); // P4 waits 2420 / 165 d = 352 h
      expect(five.tiers.P4).toMatchObject({
        stable: true,
        slaMet: false,
        expectedWaitHours: 352.2,
      });
      expect(five.allSlasMet).toBe(false);

      const six = forecastBacklog(worked(6)); // P4 waits 2420 / 210 d = 276.6 h
      expect(six.tiers.P4).toMatchObject({ slaMet: true, expectedWaitHours: 276.7 });
      expect(six.allSlasMet).toBe(true);
    });

    it('is independent of the listeners given in the input', () => {
      for (const n of [0, 1, 6, 100]) expect(smallestStaffingMeetingAllSlas(worked(n))).toBe(6);
    });

    it('is 0 for an empty queue, where every tier is trivially met', () => {
      const f = forecastBacklog(input(0, {}));
      expect(f.smallestListenersMeetingAllSlas).toBe(0);
      expect(f).toMatchObject({ capacityPerDay: 0, utilisation: 0, allSlasMet: true });
      expect(f.requiredListenerHoursPerDay).toBe(0);
      for (const t of TIERS) {
        expect(f.tiers[t]).toMatchObject({
          stable: true,
          clearsInDays: 0,
          clearsAt: NOW.toISOString(),
          expectedWaitHours: 0,
          slaMet: true,
          breachedNow: false,
        });
      }
    });

    it('needs 1 listener for a trickle of calls', () => {
      expect(smallestStaffingMeetingAllSlas(input(0, { P3: tier(1, 0, 168) }))).toBe(1);
    });

    it('is null when an SLA is shorter than one handling time', () => {
      const f = forecastBacklog(input(10, { P1: tier(1, 0, 0.1) })); // 6 min SLA, 10 min calls
      expect(f.tiers.P1.slaMet).toBe(false);
      expect(f.smallestListenersMeetingAllSlas).toBeNull();
    });

    it('is null when 5000 listeners cannot keep up', () => {
      // 5000 × 24 h × 60 / 10 min = 720,000 calls a day.
      const f = forecastBacklog(input(1, { P4: tier(720_000, 0, 336) }, { hoursPerDay: 24 }));
      expect(f.smallestListenersMeetingAllSlas).toBeNull();
      expect(
        smallestStaffingMeetingAllSlas(
          input(1, { P4: tier(719_000, 0, 336) }, { hoursPerDay: 24 }),
        ),
      ).toBe(4994); // 4993 × 144 = 718,992 is not enough; 4994 × 144 = 719,136 is
    });
  });

  describe('edges of the model', () => {
    it('treats a tier exactly at capacity as unstable, even with no backlog', () => {
      // 3 × 8 h × 60 / 10 min = 144 calls a day.
      const f = forecastBacklog(
        input(3, { P1: tier(44, 0, 24), P2: tier(100, 0, 72) }, { hoursPerDay: 8 }),
      );
      expect(f.capacityPerDay).toBe(144);
      expect(f.utilisation).toBe(1);
      expect(f.tiers.P1).toMatchObject({ stable: true, clearsInDays: 0, slaMet: true });
      expect(f.tiers.P2).toMatchObject({ stable: false, clearsInDays: null, slaMet: false });
      expect(f.smallestListenersMeetingAllSlas).toBe(4);
    });

    it('never clears a lower tier while higher tiers use all the capacity', () => {
      const f = forecastBacklog(
        input(2, { P1: tier(100, 0, 24), P2: empty(72), P3: tier(0, 5, 168) }),
      );
      expect(f.tiers.P1.stable).toBe(false);
      // No P2 calls arrive or wait: nothing there can be late.
      expect(f.tiers.P2).toMatchObject({ stable: true, clearsInDays: 0, slaMet: true });
      // P3 has a backlog but gets no capacity at all.
      expect(f.tiers.P3).toMatchObject({ stable: false, clearsInDays: null, slaMet: false });
    });

    it('leaves the tiers above unchanged however busy a lower tier is', () => {
      const base = forecastBacklog(worked(6));
      const busier = forecastBacklog({
        ...worked(6),
        tiers: { ...worked(6).tiers, P4: tier(500, 50_000, 336) },
      });
      for (const t of ['P1', 'P2', 'P3'] as const) expect(busier.tiers[t]).toEqual(base.tiers[t]);
      expect(busier.tiers.P4.stable).toBe(false);
    });

    it('uses handling time and hours per day in the capacity', () => {
      // 4 listeners × 6 h × 60 / 20 min = 72 calls a day; one P2 tier, λ = 36, B = 72:
      // clears 72 / (72 − 36) = 2 days; a call arriving now waits 72 / 72 = 1 day + 20 min.
      const f = forecastBacklog(
        input(4, { P2: tier(36, 72, 72) }, { hoursPerDay: 6, meanHandlingMinutes: 20 }),
      );
      expect(f.capacityPerDay).toBe(72);
      expect(f.utilisation).toBe(0.5);
      expect(f.tiers.P2).toMatchObject({
        clearsInDays: 2,
        expectedWaitHours: 24.3,
        slaMet: true,
      });
      expect(f.requiredListenerHoursPerDay).toBe(12); // 36 × 20 / 60
    });

    it('reports no utilisation figure when no-one is on duty but calls arrive', () => {
      const f = forecastBacklog(input(0, { P3: tier(5, 10, 168) }));
      expect(f.utilisation).toBeNull();
      expect(f.tiers.P3).toMatchObject({ stable: false, clearsInDays: null, slaMet: false });
    });

    it('gives no clearing date when it is beyond any representable date', () => {
      const f = forecastBacklog(worked(2));
      const slow = forecastBacklog({
        ...worked(2),
        tiers: { ...worked(2).tiers, P1: tier(90 - 1e-9, 1e9, 24) },
      });
      expect(f.tiers.P1.clearsAt).not.toBeNull();
      expect(slow.tiers.P1.stable).toBe(true);
      expect(slow.tiers.P1.clearsInDays).toBeGreaterThan(1e15);
      expect(slow.tiers.P1.clearsAt).toBeNull();
    });

    it('states the SLA test in one function', () => {
      const base = { stable: true, meanHandlingMinutes: 10, slaHours: 24, hasWork: true };
      expect(tierSlaMet({ ...base, waitDays: 0.5 })).toBe(true); // 12 h + 10 min
      expect(tierSlaMet({ ...base, waitDays: 1 })).toBe(false); // 24 h + 10 min
      expect(tierSlaMet({ ...base, stable: false, waitDays: null })).toBe(false);
      expect(tierSlaMet({ ...base, stable: false, waitDays: null, hasWork: false })).toBe(true);
    });
  });

  describe('monotonicity: more listeners never make a tier worse', () => {
    /** Deterministic pseudo-random inputs (a small LCG). */
    const random = (seed: number) => {
      let s = seed;
      return () => {
        s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
        return s / 2 ** 31;
      };
    };
    const cases: ForecastInput[] = [worked(0)];
    for (let seed = 1; seed <= 25; seed++) {
      const r = random(seed);
      const tiers = {} as Record<Tier, TierForecastInput>;
      for (const [i, t] of TIERS.entries()) {
        tiers[t] = tier(
          r() < 0.2 ? 0 : Math.round(r() * 60),
          r() < 0.2 ? 0 : Math.round(r() * 800),
          [24, 72, 168, 336][i],
        );
      }
      cases.push({
        now: NOW,
        listeners: 0,
        hoursPerDay: 1 + Math.round(r() * 23),
        meanHandlingMinutes: 1 + Math.round(r() * 30),
        tiers,
      });
    }
    const worse = (a: number | null, b: number | null) => (a ?? Infinity) > (b ?? Infinity);

    it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
      let previous = forecastBacklog({ ...c, listeners: 0 });
      for (let n = 1; n <= 80; n++) {
        const next = forecastBacklog({ ...c, listeners: n });
        for (const t of TIERS) {
          const [p, q] = [previous.tiers[t], next.tiers[t]];
          if (p.stable) expect(q.stable).toBe(true);
          if (p.slaMet) expect(q.slaMet).toBe(true);
          expect(worse(q.clearsInDays, p.clearsInDays)).toBe(false);
          expect(worse(q.expectedWaitHours, p.expectedWaitHours)).toBe(false);
        }
        if (previous.allSlasMet) expect(next.allSlasMet).toBe(true);
        previous = next;
      }
      const smallest = smallestStaffingMeetingAllSlas(c);
      if (smallest !== null) {
        expect(forecastBacklog({ ...c, listeners: smallest }).allSlasMet).toBe(true);
        if (smallest > 0) {
          expect(forecastBacklog({ ...c, listeners: smallest - 1 }).allSlasMet).toBe(false);
        }
      }
    });
  });

  describe('input validation', () => {
    const valid = worked();
    it.each<[string, ForecastInput, RegExp]>([
      ['negative listeners', { ...valid, listeners: -1 }, /listeners must be a whole number/],
      ['fractional listeners', { ...valid, listeners: 1.5 }, /listeners must be a whole number/],
      ['NaN listeners', { ...valid, listeners: NaN }, /listeners/],
      ['zero hours per day', { ...valid, hoursPerDay: 0 }, /hoursPerDay must be in \(0, 24\]/],
      ['over 24 hours per day', { ...valid, hoursPerDay: 24.5 }, /hoursPerDay/],
      [
        'zero handling time',
        { ...valid, meanHandlingMinutes: 0 },
        /meanHandlingMinutes must be > 0/,
      ],
      ['negative handling time', { ...valid, meanHandlingMinutes: -5 }, /meanHandlingMinutes/],
      ['an invalid date', { ...valid, now: new Date('nonsense') }, /now must be a valid Date/],
      [
        'negative arrivals',
        { ...valid, tiers: { ...valid.tiers, P2: tier(-1, 0, 72) } },
        /tiers\.P2\.arrivalsPerDay/,
      ],
      [
        'an infinite backlog',
        { ...valid, tiers: { ...valid.tiers, P3: tier(1, Infinity, 168) } },
        /tiers\.P3\.backlog/,
      ],
      [
        'a zero SLA',
        { ...valid, tiers: { ...valid.tiers, P1: tier(1, 0, 0) } },
        /tiers\.P1\.slaHours/,
      ],
      [
        'a negative oldest age',
        { ...valid, tiers: { ...valid.tiers, P4: tier(1, 1, 336, -2) } },
        /tiers\.P4\.oldestAgeHours/,
      ],
      [
        'a missing tier',
        {
          ...valid,
          tiers: { P1: valid.tiers.P1, P2: valid.tiers.P2, P3: valid.tiers.P3 },
        } as unknown as ForecastInput,
        /tiers\.P4 is missing/,
      ],
    ])('rejects %s', (_name, bad, message) => {
      expect(() => forecastBacklog(bad)).toThrow(message);
      expect(() => smallestStaffingMeetingAllSlas(bad)).toThrow(message);
    });

    it('accepts 24 hours per day and zero listeners', () => {
      expect(() => forecastBacklog({ ...valid, hoursPerDay: 24, listeners: 0 })).not.toThrow();
    });
  });
});
