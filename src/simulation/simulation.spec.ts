import { DEFAULT_SIMULATION_SETTINGS, simulatedCall } from './sample-calls';
import { SimulationInput, StaffingRow } from './model';
import { simulate } from './simulation';

const at = (hhmm: string, day = '2026-10-05') => new Date(`${day}T${hhmm}:00Z`);

/**
 * Monday 5 October 2026 (British Summer Time): one listener works 09:00–17:00 London (08:00–16:00
 * UTC) and takes exactly an hour over each call. Three calls wait when the shift starts:
 * A (P3, made 06:00 UTC), B (P1, a victim contact, 07:00), C (P2, MAPPA level 2, 07:30).
 */
const CALLS = [
  simulatedCall({ id: 'A', tier: 'P3', startedAt: at('06:00') }),
  simulatedCall({ id: 'B', tier: 'P1', startedAt: at('07:00') }),
  simulatedCall({ id: 'C', tier: 'P2', startedAt: at('07:30') }),
];
const ONE_LISTENER: StaffingRow = {
  listeners: 1,
  days: ['MON'],
  start: '09:00',
  end: '17:00',
  trainings: ['PUBLIC_PROTECTION'],
  languages: [],
};

const input = (over: Partial<SimulationInput> = {}): SimulationInput => ({
  from: at('00:00'),
  to: at('00:00', '2026-10-06'),
  calls: CALLS,
  staffing: [ONE_LISTENER],
  handling: { kind: 'FIXED', meanMinutes: 60, sdMinutes: 0 },
  settings: DEFAULT_SIMULATION_SETTINGS,
  policies: [
    { name: 'CURRENT', kind: 'CURRENT' },
    { name: 'FIFO', kind: 'FIFO' },
    { name: 'MAPPA_LEVEL', kind: 'MAPPA_LEVEL' },
    { name: 'CURRENT_CHANGED', kind: 'CURRENT', settings: { slaHours: { P1: 1, P3: 3 } } },
  ],
  trace: true,
  ...over,
});

const order = (r: ReturnType<typeof simulate>, policy: string) =>
  r.policies[policy].claims!.map((c) => `${c.callId}@${c.claimedAt.toISOString().slice(11, 16)}`);

describe('the policy simulator on three calls and one listener', () => {
  const result = simulate(input());

  it('hears them in each policy’s order, one an hour from the start of the shift', () => {
    expect(order(result, 'CURRENT')).toEqual(['B@08:00', 'C@09:00', 'A@10:00']);
    expect(order(result, 'FIFO')).toEqual(['A@08:00', 'B@09:00', 'C@10:00']);
    expect(order(result, 'MAPPA_LEVEL')).toEqual(['C@08:00', 'A@09:00', 'B@10:00']);
    expect(order(result, 'CURRENT_CHANGED')).toEqual(['B@08:00', 'C@09:00', 'A@10:00']);
  });

  it('reports waits, SLA and utilisation as the hand arithmetic gives them', () => {
    expect(result).toMatchObject({ calls: 3, notQueued: 0, listenerHours: 8 });
    const current = result.policies.CURRENT;
    expect(current.byTier.P1).toEqual({
      calls: 1,
      heard: 1,
      heardWithinSla: 1,
      heardWithinSlaPercent: 100,
      medianWaitHours: 1,
      p95WaitHours: 1,
      unheard: 0,
      purgedUnheard: 0,
    });
    expect(current.byTier.P2.medianWaitHours).toBe(1.5);
    expect(current.byTier.P3.medianWaitHours).toBe(4);
    expect(current.byTier.P4).toMatchObject({ calls: 0, heardWithinSlaPercent: 100 });
    expect(current.victimContact).toEqual({
      calls: 1,
      heardWithinSla: 1,
      heardWithinSlaPercent: 100,
    });
    expect(current.utilisationPercent).toBe(37.5);
    expect(result.policies.FIFO.byTier.P1.medianWaitHours).toBe(2);
    expect(result.policies.MAPPA_LEVEL.byTier.P1.medianWaitHours).toBe(3);
    expect(result.policies.MAPPA_LEVEL.byTier.P2.medianWaitHours).toBe(0.5);
  });

  it('measures the changed CURRENT against its own SLA hours (logged by the due time counts)', () => {
    // B is due 08:00 with P1 in 1 h and is logged 09:00; A is due 09:00 with P3 in 3 h, logged 11:00.
    const changed = result.policies.CURRENT_CHANGED;
    expect(changed.byTier.P1).toMatchObject({
      heard: 1,
      heardWithinSla: 0,
      heardWithinSlaPercent: 0,
    });
    expect(changed.byTier.P3).toMatchObject({ heard: 1, heardWithinSla: 0 });
    expect(changed.victimContact.heardWithinSlaPercent).toBe(0);
    const twoHours = simulate(
      input({ policies: [{ name: 'X', kind: 'CURRENT', settings: { slaHours: { P1: 2 } } }] }),
    );
    expect(twoHours.policies.X.byTier.P1.heardWithinSla).toBe(1);
  });

  it('counts the backlog on the hour, calls that arrive on the hour included', () => {
    const backlog = result.policies.CURRENT.backlogHourly;
    expect(backlog).toHaveLength(25);
    const waiting = (hh: string) =>
      backlog.find((b) => b.at === `2026-10-05T${hh}:00:00.000Z`)!.waiting;
    expect([waiting('05'), waiting('06'), waiting('07'), waiting('08')]).toEqual([0, 1, 2, 2]);
    expect([waiting('09'), waiting('10'), waiting('11')]).toEqual([1, 0, 0]);
  });

  it('keeps eligibility in every policy: an untrained listener never hears the MAPPA call', () => {
    const untrained = simulate(input({ staffing: [{ ...ONE_LISTENER, trainings: [] }] }));
    for (const name of ['CURRENT', 'FIFO', 'MAPPA_LEVEL']) {
      expect(untrained.policies[name].claims!.map((c) => c.callId).sort()).toEqual(['A', 'B']);
      expect(untrained.policies[name].byTier.P2).toMatchObject({ calls: 1, heard: 0, unheard: 1 });
    }
  });

  it('purges a call unheard when its retention runs out, and counts it apart from the unheard', () => {
    const r = simulate(
      input({
        settings: { ...DEFAULT_SIMULATION_SETTINGS, retentionDays: 1 },
        staffing: [{ ...ONE_LISTENER, days: ['TUE'], start: '08:15' }],
        to: at('12:00', '2026-10-06'),
        policies: [{ name: 'CURRENT', kind: 'CURRENT' }],
      }),
    );
    // Tuesday's shift starts 07:15 UTC: A (made 06:00 Monday) and B (07:00) are gone by then.
    expect(order(r, 'CURRENT')).toEqual(['C@07:15']);
    expect(r.policies.CURRENT.byTier.P1).toMatchObject({ heard: 0, unheard: 0, purgedUnheard: 1 });
    expect(r.policies.CURRENT.byTier.P3).toMatchObject({ heard: 0, unheard: 0, purgedUnheard: 1 });
  });

  it('does not start a call it could not finish within the shift', () => {
    const short = simulate(input({ staffing: [{ ...ONE_LISTENER, end: '10:30' }] }));
    // 08:00–09:30 UTC: one call of an hour fits, the second would run to 10:00.
    expect(order(short, 'CURRENT')).toEqual(['B@08:00']);
    expect(short.policies.CURRENT.utilisationPercent).toBe(66.7);
  });

  it('leaves out calls triage does not queue, and waits calls nobody in the plan can hear', () => {
    const r = simulate(
      input({
        calls: [
          ...CALLS,
          simulatedCall({ id: 'D', startedAt: at('07:00'), unmonitored: true }),
          simulatedCall({ id: 'E', startedAt: at('07:00'), language: 'pl' }),
        ],
      }),
    );
    expect(r).toMatchObject({ calls: 4, notQueued: 1, awaitingTranslation: 1 });
    expect(r.policies.FIFO.byTier.P3).toMatchObject({ calls: 2, heard: 1, unheard: 1 });
  });

  it('judges the SLA only of calls heard or due by the end: one made after the last shift has not missed it', () => {
    const r = simulate(
      input({
        calls: [...CALLS, simulatedCall({ id: 'F', tier: 'P1', startedAt: at('20:00') })],
        policies: [{ name: 'CURRENT', kind: 'CURRENT' }],
      }),
    );
    // F (P1, due 20:00 the next day) still waits when the period ends at midnight.
    expect(r.policies.CURRENT.byTier.P1).toMatchObject({
      calls: 2,
      heard: 1,
      heardWithinSla: 1,
      heardWithinSlaPercent: 100,
      unheard: 1,
    });
    expect(r.policies.CURRENT.victimContact).toMatchObject({
      calls: 2,
      heardWithinSlaPercent: 100,
    });
  });
});
