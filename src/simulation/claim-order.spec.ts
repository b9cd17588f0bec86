import { TIERS, Tier, Training, TRAININGS } from '../common/vocabulary';
import { ClaimableCall, ClaimingListener, chooseClaim, listWalks, mayHear } from './claim-order';
import { seededRandom } from './handling';
import { policyOf } from './policies';
import { QueueIndex, QueuedCall } from './queue-index';
import { DEFAULT_SIMULATION_SETTINGS } from './sample-calls';

const H = 3_600_000;
const me: ClaimingListener = {
  username: 'me',
  establishments: ['NHI'],
  trainings: [],
  languages: ['pl'],
};
const call = (id: string, over: Partial<ClaimableCall> = {}): ClaimableCall => ({
  id,
  establishment: 'NHI',
  tier: 'P2',
  effectiveDueAt: 10 * H,
  language: 'en',
  requiredTrainings: [],
  leadListener: null,
  ...over,
});
const choose = (calls: ClaimableCall[], listener = me, credit = 12) =>
  chooseClaim(listener, listWalks(calls), () => credit)?.id ?? null;

describe('the claim order', () => {
  it('takes the best tier, then the earliest effective due time', () => {
    expect(choose([call('a', { tier: 'P3', effectiveDueAt: 0 }), call('b')])).toBe('b');
    expect(choose([call('a', { effectiveDueAt: 11 * H }), call('b')])).toBe('b');
  });

  it('gives a speaker a call in their language before the English calls of the same tier only', () => {
    const polish = call('pl', { language: 'pl', effectiveDueAt: 30 * H });
    expect(choose([call('en'), polish])).toBe('pl');
    expect(choose([call('en'), polish], { ...me, languages: [] })).toBe('en');
    expect(choose([call('en', { tier: 'P1' }), polish])).toBe('en');
  });

  it('moves a led prisoner’s call ahead by the continuity credit, within its tier', () => {
    const led = call('led', { leadListener: 'me', effectiveDueAt: 20 * H });
    expect(choose([call('other'), led], me, 12)).toBe('led');
    expect(choose([call('other'), led], me, 6)).toBe('other');
    expect(choose([call('other', { tier: 'P1' }), led], me, 48)).toBe('other');
  });

  it('breaks a tie of tier and rank by call id, as the claim statement does', () => {
    expect(choose([call('b'), call('a')])).toBe('a');
    // The led call's rank with the credit (22 h − 12 h) equals the other's due time.
    const led = call('z', { leadListener: 'me', effectiveDueAt: 22 * H });
    expect(choose([call('y'), led], me, 12)).toBe('y');
    expect(choose([call('za'), led], me, 12)).toBe('z');
  });

  it('never gives a call the listener is not trained for or whose language they do not speak', () => {
    expect(choose([call('a', { requiredTrainings: ['DOMESTIC_ABUSE'] })])).toBeNull();
    expect(choose([call('a', { language: 'ar' })])).toBeNull();
    expect(choose([call('a', { establishment: 'LEI' })])).toBeNull();
  });
});

describe('the simulator’s queue index', () => {
  it('gives the same call as the plain list, for every policy, in 2000 random cases', () => {
    const random = seededRandom(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const subset = <T>(xs: readonly T[], p: number) => xs.filter(() => random() < p);
    for (let n = 0; n < 2000; n += 1) {
      const listener: ClaimingListener = {
        username: 'me',
        establishments: random() < 0.5 ? ['NHI'] : ['NHI', 'LEI'],
        trainings: subset<Training>(TRAININGS, 0.5),
        languages: subset(['pl', 'ar'], 0.4),
      };
      const calls: QueuedCall[] = Array.from({ length: Math.floor(random() * 12) }, (_, i) => ({
        ...call(`c${i}`, {
          establishment: pick(['NHI', 'LEI', 'BWI']),
          tier: pick<Tier>(TIERS),
          effectiveDueAt: Math.floor(random() * 48) * H + i,
          language: pick(['en', 'en', 'pl', 'ar']),
          requiredTrainings: random() < 0.5 ? [] : subset<Training>(TRAININGS, 0.4),
          leadListener: pick(['me', 'someone', null]),
        }),
        index: i,
        startedAt: 0,
        arrivedAt: Math.floor(random() * 48) * H + i,
        dueAt: 0,
        purgeAt: 0,
        mappaLevel: pick([2, 3, null]),
        victimContact: false,
        patternAlert: false,
        state: random() < 0.2 ? pick(['HEARD', 'PURGED'] as const) : 'WAITING',
        claimedAt: null,
        loggedAt: null,
        listener: null,
      }));
      const waiting = calls.filter((c) => c.state === 'WAITING');
      for (const kind of ['CURRENT', 'FIFO', 'MAPPA_LEVEL'] as const) {
        const policy = policyOf(kind, DEFAULT_SIMULATION_SETTINGS);
        const index = new QueueIndex(policy.order, new Set(['me']));
        for (const c of calls) index.add(c);
        const expected =
          kind === 'CURRENT'
            ? chooseClaim(listener, listWalks(waiting), () => 12)
            : (waiting
                .filter(
                  (c) => mayHear(listener, c) && listener.establishments.includes(c.establishment),
                )
                .sort(policy.order)[0] ?? null);
        expect([n, kind, policy.choose(listener, index)?.id ?? null]).toEqual([
          n,
          kind,
          expected?.id ?? null,
        ]);
      }
    }
  });
});
