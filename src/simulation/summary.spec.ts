import { TIERS } from '../common/vocabulary';
import { PolicyResult, TierFigures } from './model';
import { percentText, summarySentence } from './summary';

const SLA = { P1: 24, P2: 72, P3: 168, P4: 336 };

function tier(over: Partial<TierFigures> = {}): TierFigures {
  return {
    calls: 0,
    heard: 0,
    heardWithinSla: 0,
    heardWithinSlaPercent: 100,
    medianWaitHours: 0,
    p95WaitHours: 0,
    unheard: 0,
    purgedUnheard: 0,
    ...over,
  };
}

function policy(
  byTier: Partial<Record<(typeof TIERS)[number], Partial<TierFigures>>>,
): PolicyResult {
  return {
    byTier: Object.fromEntries(TIERS.map((t) => [t, tier(byTier[t])])) as PolicyResult['byTier'],
    victimContact: { calls: 0, heardWithinSla: 0, heardWithinSlaPercent: 100 },
    patternAlert: { calls: 0, heardWithinSla: 0, heardWithinSlaPercent: 100 },
    utilisationPercent: 0,
    backlogHourly: [],
  };
}

describe('the summary sentence', () => {
  it('reads as a head of OMU would say it: P1 in time under the policy, beside FIFO, and the purge', () => {
    expect(
      summarySentence(
        {
          CURRENT: policy({
            P1: { calls: 1000, heardWithinSlaPercent: 99.6 },
            P4: { calls: 900, purgedUnheard: 212 },
          }),
          FIFO: policy({ P1: { calls: 1000, heardWithinSlaPercent: 41 } }),
        },
        SLA,
      ),
    ).toBe(
      'With this plan 99.6% of P1 calls are heard within 24 hours (FIFO: 41%); 212 P4 calls would be purged unheard.',
    );
  });

  it('names every tier purged, the calls still waiting, and the SLA in days past two days', () => {
    expect(
      summarySentence(
        {
          FIFO: policy({ P1: { calls: 4, heardWithinSlaPercent: 75 } }),
          CURRENT: policy({
            P1: { calls: 4, heardWithinSlaPercent: 100 },
            P3: { calls: 10, purgedUnheard: 1, unheard: 3 },
            P4: { calls: 2000, purgedUnheard: 1500, unheard: 2 },
          }),
          MAPPA_LEVEL: policy({ P1: { calls: 4, heardWithinSlaPercent: 50 } }),
        },
        { ...SLA, P1: 48 },
      ),
    ).toBe(
      'With this plan 100% of P1 calls are heard within 2 days (FIFO: 75%; MAPPA level: 50%); ' +
        '1,500 P4 and 1 P3 calls would be purged unheard, and 5 would still wait at the end.',
    );
  });

  it('speaks of the most urgent tier there are calls of, and of no calls at all', () => {
    expect(
      summarySentence({ FIFO: policy({ P2: { calls: 3, heardWithinSlaPercent: 66.7 } }) }, SLA),
    ).toBe(
      'With this plan 66.7% of P2 calls are heard within 3 days; no call would be purged unheard.',
    );
    expect(summarySentence({ CURRENT: policy({}) }, SLA)).toBe(
      'With this plan no monitored call arrives in the period.',
    );
  });

  it('writes whole percentages without a decimal', () => {
    expect(percentText(41)).toBe('41%');
    expect(percentText(99.6)).toBe('99.6%');
  });
});
