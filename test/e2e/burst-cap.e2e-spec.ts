import { Clock } from '../../src/common/clock';
import { PatternsService } from '../../src/patterns/patterns.service';
import { bearer, startApi, TestApi } from '../support/api';
import { randomMobile, Scenario, toE164 } from '../support/scenario';

/**
 * The burst cap through the API against a fixed clock (issue 13, item 4): the inspection's burst of
 * calls to one number made every one of them P1, so one prisoner's calls crowded out every other
 * victim's. Now only the newest burstP1Cap (10) are P1, heard newest first; the rest are P2.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIXED = new Date('2026-11-27T10:00:00Z');
const at = (ms: number) => new Date(FIXED.getTime() + ms).toISOString();

interface QueueItem {
  id: string;
  prisonNumber: string;
  tier: string | null;
  startedAt: string;
  priorityReasons: string[];
}

describe('burst cap: a 475-call burst leaves another prisoner’s victim call first', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);
  });

  afterAll(async () => {
    await api.close();
  });

  it('only the newest 10 calls of the burst are P1, newest first, behind the victim call; the 11th is P2', async () => {
    const s = await Scenario.create(api);
    const [flooder, other] = [await s.prisoner(), await s.prisoner()];
    for (const p of [flooder, other]) await s.authorise(p, { startsAt: at(-30 * DAY) });
    const victim = randomMobile();
    await s.contact(other, {
      name: 'Jane Doe',
      relationship: 'EX_PARTNER',
      isVictim: true,
      phoneNumbers: [victim],
    });

    // 475 calls to a number not on his list (6 h of credit), one every 3 minutes, the newest 10
    // minutes ago; the other prisoner's call to his victim 8 hours ago. Every call of the burst
    // lifted to P1 would put its 150-odd calls older than 8 hours ahead of the victim's.
    const number = randomMobile();
    const burst = Array.from({ length: 475 }, (_, i) =>
      s.call(flooder, { dialledNumber: number, startedAt: at(-(10 + 3 * i) * MINUTE) }),
    );
    const victimCall = s.call(other, { dialledNumber: victim, startedAt: at(-8 * HOUR) });
    const batch = await s.ingestAndTriage([...burst, victimCall]);
    const detected = await api.app.get(PatternsService).detectAfterBatch(batch.batchId);
    expect(detected.raised).toBeGreaterThan(0);

    const tiers = await api.db.query<{ tier: string; reasons: string[]; n: number }[]>(
      `SELECT tier, priority_reasons AS reasons, count(*)::int AS n FROM calls
       WHERE prison_number = $1 AND dialled_number = $2 GROUP BY tier, priority_reasons ORDER BY tier`,
      [flooder, toE164(number)],
    );
    expect(tiers.map((t) => [t.tier, t.n])).toEqual([
      ['P1', 10],
      ['P2', 465],
    ]);
    expect(tiers[0].reasons[0]).toMatch(/^pattern alert: .*475 calls to .* in 24 hours/);
    expect(tiers[1].reasons).toEqual([
      'earlier call of a burst',
      'number not on contact list (+6 h)',
    ]);

    const head = await s.staff(['HEAD_OF_OMU']);
    const res = await api.http
      .get(`/api/queue?establishment=${s.establishment}&limit=12`)
      .set(bearer(head.token))
      .expect(200);
    const items = (res.body as { items: QueueItem[] }).items;
    // The victim call first, then the burst's ten newest calls, newest first, then P2.
    expect(items[0]).toMatchObject({ prisonNumber: other, tier: 'P1' });
    expect(items[0].priorityReasons).toContain('victim contact');
    const p1Burst = items.slice(1, 11);
    expect(p1Burst.every((i) => i.prisonNumber === flooder && i.tier === 'P1')).toBe(true);
    expect(p1Burst.map((i) => i.startedAt)).toEqual(
      Array.from({ length: 10 }, (_, i) => at(-(10 + 3 * i) * MINUTE)),
    );
    // The near miss: the 11th newest call of the burst is the first P2.
    expect(items[11]).toMatchObject({
      prisonNumber: flooder,
      tier: 'P2',
      priorityReasons: ['earlier call of a burst', 'number not on contact list (+6 h)'],
    });

    // And the first listener to ask hears the victim call.
    const listener = await s.staff(['LISTENER']);
    const claimed = await s.claim(listener).expect(200);
    expect((claimed.body as { call: { id: string } }).call.id).toBe(items[0].id);
  });

  it('a smaller burstP1Cap re-scores the burst at once', async () => {
    const s = await Scenario.create(api);
    const flooder = await s.prisoner();
    await s.authorise(flooder, { startsAt: at(-30 * DAY) });
    const number = randomMobile();
    const batch = await s.ingestAndTriage(
      Array.from({ length: 12 }, (_, i) =>
        s.call(flooder, { dialledNumber: number, startedAt: at(-(5 + i) * HOUR) }),
      ),
    );
    await api.app.get(PatternsService).detectAfterBatch(batch.batchId);
    const count = async () =>
      (
        await api.db.query<{ p1: number }[]>(
          `SELECT count(*) FILTER (WHERE tier = 'P1')::int AS p1 FROM calls WHERE prison_number = $1`,
          [flooder],
        )
      )[0].p1;
    expect(await count()).toBe(10);
    await s.settings({ burstP1Cap: 3 });
    expect(await count()).toBe(3);
  });
});
