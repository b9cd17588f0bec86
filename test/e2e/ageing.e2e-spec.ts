import { Clock } from '../../src/common/clock';
import { TriageService } from '../../src/triage/triage.service';
import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * Ageing against a moving fixed clock (issue 13, item 3): under overload nobody hears the P3 and P4
 * calls, so a call still waiting when its tier's SLA has passed a second time climbs one tier
 * (P4 → P3 → P2, never P1), re-scored by the worker's TriageService.rescoreAgedCalls.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = new Date('2026-10-01T10:00:00Z');

interface Row {
  tier: string | null;
  reasons: string[];
  dueAt: Date;
}

describe('ageing: waiting calls climb a tier after twice their SLA', () => {
  let api: TestApi;
  let clock: jest.SpyInstance<Date, []>;

  beforeAll(async () => {
    api = await startApi();
    clock = jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(START);
  });

  afterAll(async () => {
    await api.close();
  });

  /** Sets the clock and runs the worker's ageing re-score. */
  const runAt = async (at: Date) => {
    clock.mockReturnValue(at);
    return api.app.get(TriageService).rescoreAgedCalls();
  };
  const row = async (prisonNumber: string): Promise<Row> =>
    (
      await api.db.query<Row[]>(
        `SELECT tier, priority_reasons AS reasons, due_at AS "dueAt" FROM calls WHERE prison_number = $1`,
        [prisonNumber],
      )
    )[0];

  it('a month of overload: P3 climbs to P2 at 14 days, P4 to P3 at 28; P2 never reaches P1', async () => {
    clock.mockReturnValue(START);
    const s = await Scenario.create(api);
    const [ordinary, random, level2] = [
      await s.prisoner(),
      await s.prisoner(),
      await s.prisoner({ mappaCategory: 1, mappaLevel: 2 }),
    ];
    await s.authorise(ordinary, { startsAt: new Date(START.getTime() - 30 * DAY).toISOString() });
    await s.authorise(random, {
      type: 'RANDOM',
      startsAt: new Date(START.getTime() - 30 * DAY).toISOString(),
    });
    await s.authorise(level2, { startsAt: new Date(START.getTime() - 30 * DAY).toISOString() });
    const madeAt = new Date(START.getTime() - HOUR);
    await s.ingestAndTriage(
      [ordinary, random, level2].map((p) => s.call(p, { startedAt: madeAt.toISOString() })),
    );
    expect([
      (await row(ordinary)).tier,
      (await row(random)).tier,
      (await row(level2)).tier,
    ]).toEqual(['P3', 'P4', 'P2']);

    const since = (ms: number) => new Date(madeAt.getTime() + ms);

    // Near miss: a minute before twice the P3 SLA, nothing moves.
    await runAt(since(14 * DAY - MINUTE));
    expect((await row(ordinary)).tier).toBe('P3');

    await runAt(since(14 * DAY));
    const climbed = await row(ordinary);
    expect(climbed.tier).toBe('P2');
    expect(climbed.reasons).toEqual([
      'under an active monitoring authorisation',
      'waiting past its time',
      'number not on contact list (+6 h)',
    ]);
    expect(climbed.reasons).toContain('waiting past its time');
    expect(climbed.dueAt).toEqual(since(72 * HOUR));
    expect((await row(random)).tier).toBe('P4');

    await runAt(since(28 * DAY));
    const p4 = await row(random);
    expect(p4.tier).toBe('P3');
    expect(p4.reasons).toEqual(
      expect.arrayContaining(['random monitoring only', 'waiting past its time']),
    );

    // A month and more on: the P2 calls stay P2, and nothing climbs into P1.
    await runAt(since(60 * DAY));
    expect([
      (await row(ordinary)).tier,
      (await row(random)).tier,
      (await row(level2)).tier,
    ]).toEqual(['P2', 'P2', 'P2']);
    expect((await row(level2)).reasons).not.toContain('waiting past its time');
    // Run again: the same decisions, nothing written.
    expect(await runAt(since(60 * DAY))).toBe(0);
  });
});
