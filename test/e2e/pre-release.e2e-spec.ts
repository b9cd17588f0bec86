import { Clock } from '../../src/common/clock';
import { bearer, ErrorBody, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

/**
 * Key dates through the API against a fixed clock (issue 13, item 1): a prisoner released in five
 * weeks has every call at least P2 and due before he leaves; the day after the window does nothing.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIXED = new Date('2026-11-27T10:00:00Z');
const at = (ms: number) => new Date(FIXED.getTime() + ms);
const day = (ms: number) => at(ms).toISOString().slice(0, 10);

interface Row {
  status: string;
  tier: string | null;
  dueAt: Date;
  reasons: string[];
}

describe('key dates: the pre-release window and the due-time cap', () => {
  let api: TestApi;
  let s: Scenario;

  beforeAll(async () => {
    api = await startApi();
    jest.spyOn(api.app.get(Clock), 'now').mockReturnValue(FIXED);
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  const rows = (prisonNumber: string) =>
    api.db.query<Row[]>(
      `SELECT status, tier, due_at AS "dueAt", priority_reasons AS reasons FROM calls
       WHERE prison_number = $1 ORDER BY started_at`,
      [prisonNumber],
    );

  /** A monitored prisoner with these key dates, and three calls made in the last two days. */
  const prisonerWithCalls = async (body: Record<string, unknown>, type = 'OFFENCE_RELATED') => {
    const prisoner = await s.prisoner(body);
    await s.authorise(prisoner, { type, startsAt: at(-30 * DAY).toISOString() });
    await s.ingestAndTriage(
      [40, 20, 2].map((h) => s.call(prisoner, { startedAt: at(-h * HOUR).toISOString() })),
    );
    return prisoner;
  };

  it('five weeks to release: every call is P2, named by the date, and due before release', async () => {
    const release = day(35 * DAY);
    expect(release).toBe('2027-01-01');
    const prisoner = await prisonerWithCalls({ keyDates: [{ type: 'RELEASE', date: release }] });

    const calls = await rows(prisoner);
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c).toMatchObject({ status: 'PENDING', tier: 'P2' });
      expect(c.reasons).toContain('release on 1 January 2027 (in 35 days)');
      expect(c.dueAt.getTime()).toBeLessThan(
        new Date('2027-01-01T00:00:00Z').getTime() - 48 * HOUR,
      );
    }

    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .expect(200);
    expect(profile.body).toMatchObject({
      keyDates: [{ type: 'RELEASE', date: '2027-01-01' }],
      nextKeyDate: { type: 'RELEASE', date: '2027-01-01' },
    });
  });

  it('earliestReleaseDate counts as a release date, and the soonest key date is the next', async () => {
    const prisoner = await prisonerWithCalls({
      earliestReleaseDate: day(50 * DAY),
      keyDates: [
        { type: 'PAROLE_HEARING', date: day(-3 * DAY) },
        { type: 'HDC', date: day(20 * DAY) },
      ],
    });
    for (const c of await rows(prisoner)) {
      expect(c.tier).toBe('P2');
      expect(c.reasons).toContain('home detention curfew on 17 December 2026 (in 20 days)');
    }
    const profile = await api.http
      .get(`/api/prisoners/${prisoner}`)
      .set(bearer(s.adminToken))
      .expect(200);
    expect(profile.body).toMatchObject({
      earliestReleaseDate: day(50 * DAY),
      nextKeyDate: { type: 'HDC', date: '2026-12-17' },
    });
  });

  it('near miss: release in 57 days leaves the calls at P3 and names no date', async () => {
    const prisoner = await prisonerWithCalls({
      keyDates: [{ type: 'RELEASE', date: day(57 * DAY) }],
    });
    for (const c of await rows(prisoner)) {
      expect(c.tier).toBe('P3');
      expect(c.reasons).toEqual([
        'under an active monitoring authorisation',
        'number not on contact list (+6 h)',
      ]);
    }
  });

  it('a random-only prisoner stays P4 but each call is due the key date minus 48 hours', async () => {
    const prisoner = await prisonerWithCalls(
      { keyDates: [{ type: 'RELEASE', date: day(6 * DAY) }] },
      'RANDOM',
    );
    for (const c of await rows(prisoner)) {
      expect(c.tier).toBe('P4');
      expect(c.dueAt).toEqual(new Date('2026-12-01T00:00:00Z'));
      expect(c.reasons).toEqual([
        'random monitoring only',
        'release on 3 December 2026 (in 6 days)',
        'number not on contact list (+6 h)',
      ]);
    }
  });

  it('the window and margin are establishment settings, and changing them re-scores', async () => {
    const other = await Scenario.create(api);
    const prisoner = await other.prisoner({ keyDates: [{ type: 'ROTL', date: day(10 * DAY) }] });
    await other.authorise(prisoner, { startsAt: at(-30 * DAY).toISOString() });
    await other.ingestAndTriage([other.call(prisoner, { startedAt: at(-2 * HOUR).toISOString() })]);
    expect((await rows(prisoner))[0].tier).toBe('P2');

    await other.settings({ preReleaseWindowDays: 9, preReleaseMarginHours: 24 * 7 });
    const [after] = await rows(prisoner);
    expect(after.tier).toBe('P3');
    // 7 December 00:00 less 7 days, before the P3 SLA of 7 days would have made it due.
    expect(after.dueAt).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(after.reasons).toContain('release on temporary licence on 7 December 2026 (in 10 days)');

    const res = await api.http
      .get(`/api/establishments/${other.establishment}/settings`)
      .set(bearer(other.adminToken))
      .expect(200);
    expect(res.body).toMatchObject({ preReleaseWindowDays: 9, preReleaseMarginHours: 168 });
  });

  it('refuses a key date of an unknown type or that is not a day, naming the field', async () => {
    for (const keyDates of [
      [{ type: 'TRANSFER', date: '2027-01-01' }],
      [{ type: 'RELEASE', date: '2027-01-01T10:00:00Z' }],
      [{ type: 'RELEASE', date: '2027-02-30' }],
    ]) {
      const res = await api.http
        .put(`/api/prisoners/A1234BC`)
        .set(bearer(s.adminToken))
        .send({ firstName: 'A', lastName: 'B', establishmentCode: s.establishment, keyDates })
        .expect(400);
      const body = res.body as ErrorBody;
      expect(body.details.map((d) => d.field).join(' ')).toMatch(/keyDates/);
    }
    const settings = await api.http
      .put(`/api/establishments/${s.establishment}/settings`)
      .set(bearer(s.adminToken))
      .send({ preReleaseWindowDays: -1 })
      .expect(400);
    expect((settings.body as ErrorBody).details[0].field).toBe('preReleaseWindowDays');
  });
});
