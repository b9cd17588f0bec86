import { DEFAULT_SIMULATION_SETTINGS, simulatedCall } from './sample-calls';
import { TIERS, Tier } from '../common/vocabulary';
import { mayHear } from './claim-order';
import { seededRandom } from './handling';
import { POLICY_KINDS, SimulatedCall, SimulationInput, StaffingRow } from './model';
import { arrivalOf, prepareCalls } from './prepare';
import { listenersOf } from './shifts';
import { simulate } from './simulation';

const HOUR = 3_600_000;
const FROM = new Date('2026-10-19T00:00:00Z');
const TO = new Date('2026-11-02T00:00:00Z'); // two weeks, over the change of the clocks

/** A fortnight of random calls at two establishments, more than the plan can hear. */
function workload(seed: number): SimulatedCall[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: 900 }, (_, i) =>
    simulatedCall({
      id: `c${i}`,
      startedAt: new Date(FROM.getTime() - 2 * HOUR + random() * (TO.getTime() - FROM.getTime())),
      durationSeconds: Math.floor(random() * 1200),
      tier: pick<Tier>(TIERS),
      mappaLevel: random() < 0.1 ? 3 : null,
      establishment: pick(['NHI', 'LEI']),
      language: pick(['en', 'en', 'en', 'pl', 'ar']),
      domesticAbuse: random() < 0.2,
      patternAlert: random() < 0.05,
      unmonitored: random() < 0.05,
    }),
  );
}

const STAFFING: StaffingRow[] = [
  {
    listeners: 2,
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    start: '08:00',
    end: '16:00',
    trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE'],
    languages: [],
    establishments: ['NHI'],
  },
  {
    listeners: 1,
    days: ['MON', 'WED', 'SAT', 'SUN'],
    start: '12:30',
    end: '22:00',
    trainings: [],
    languages: ['pl'],
  },
];

function run(seed: number, over: Partial<SimulationInput> = {}) {
  const input: SimulationInput = {
    from: FROM,
    to: TO,
    calls: workload(seed),
    staffing: STAFFING,
    handling: { kind: 'FIXED', meanMinutes: 25, sdMinutes: 15, seed },
    settings: { ...DEFAULT_SIMULATION_SETTINGS, retentionDays: 5 },
    policies: POLICY_KINDS.map((kind) => ({ name: kind, kind })),
    trace: true,
    ...over,
  };
  return { input, result: simulate(input) };
}

describe.each([1, 2, 3])('the simulation engine (workload %i)', (seed) => {
  const { input, result } = run(seed);
  const listeners = new Map(
    listenersOf(input.staffing, input.from, input.to, ['NHI', 'LEI']).map((l) => [l.username, l]),
  );
  const triaged = new Map(
    prepareCalls(input.calls, input.settings, new Set(['pl']), input.from, input.to).queued.map(
      (c) => [c.id, c],
    ),
  );

  it.each(POLICY_KINDS)(
    '%s: a listener takes one call at a time, within a shift, that they may hear',
    (name) => {
      const claims = result.policies[name].claims!;
      expect(claims.length).toBeGreaterThan(100);
      const lastLogged = new Map<string, number>();
      for (const c of claims) {
        const listener = listeners.get(c.listener)!;
        const call = triaged.get(c.callId)!;
        const from = c.claimedAt.getTime();
        const to = c.loggedAt.getTime();
        expect(from).toBeGreaterThanOrEqual(lastLogged.get(c.listener) ?? 0);
        lastLogged.set(c.listener, to);
        expect(listener.shifts.some((s) => s.start <= from && to <= s.end)).toBe(true);
        expect(
          mayHear(listener, call) && listener.establishments.includes(call.establishment),
        ).toBe(true);
        expect(from).toBeGreaterThanOrEqual(call.arrivedAt);
        expect(from).toBeLessThan(call.purgeAt);
      }
    },
  );

  it.each(POLICY_KINDS)('%s: hears each call at most once, and the totals add up', (name) => {
    const policy = result.policies[name];
    const ids = policy.claims!.map((c) => c.callId);
    expect(new Set(ids).size).toBe(ids.length);
    const tiers = Object.values(policy.byTier);
    for (const t of tiers) expect(t.heard + t.unheard + t.purgedUnheard).toBe(t.calls);
    expect(tiers.reduce((n, t) => n + t.calls, 0)).toBe(result.calls);
    expect(tiers.reduce((n, t) => n + t.heard, 0)).toBe(ids.length);
    const arriving = input.calls.filter((c) => {
      const t = arrivalOf(c);
      return t >= FROM.getTime() && t < TO.getTime();
    });
    expect(result.calls + result.notQueued).toBe(arriving.length);
    expect(result.notQueued).toBeGreaterThan(0);
    const last = policy.backlogHourly.at(-1)!;
    expect(last.at).toBe(TO.toISOString());
    expect(last.waiting).toBe(tiers.reduce((n, t) => n + t.unheard, 0));
    const busy = policy.claims!.reduce(
      (ms, c) => ms + c.loggedAt.getTime() - c.claimedAt.getTime(),
      0,
    );
    expect(policy.utilisationPercent).toBeCloseTo((100 * busy) / (result.listenerHours * HOUR), 0);
  });

  it('gives every policy the same calls and plan, and answers the same twice', () => {
    expect(run(seed).result).toEqual(result);
    expect(result.calls).toBe(triaged.size);
  });
});

describe('the simulation engine, more listeners than calls', () => {
  it('hears every call, and those it can at once', () => {
    const calls = workload(9).slice(0, 40);
    const { result } = run(9, {
      calls,
      staffing: [
        {
          listeners: 6,
          days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
          start: '00:00',
          end: '24:00',
          trainings: ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE'],
          languages: ['pl', 'ar'],
        },
      ],
      handling: { kind: 'OBSERVED', handlingSeconds: [60, 120] },
    });
    for (const name of POLICY_KINDS) {
      const tiers = Object.values(result.policies[name].byTier);
      expect(tiers.reduce((n, t) => n + t.unheard + t.purgedUnheard, 0)).toBe(0);
      expect(Math.max(...tiers.map((t) => t.p95WaitHours))).toBe(0);
    }
  });
});
